import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GrantPlatformStack, settingsFromContext } from './stack';

/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`). One stack per stage, `GrantPlatform-<stage>`,
 * environment-agnostic: the account and region come from the deploying credentials, so the same
 * template serves the global and the China partitions, and `cdk synth` needs no AWS account.
 * cdk-nag's AwsSolutions pack runs on every synthesis; acknowledged findings carry their reason
 * next to the resource they concern (see GrantPlatformStack).
 */
export function createApp(props?: AppProps): { app: App; stack: GrantPlatformStack } {
  const app = new App(props);
  const settings = settingsFromContext(app);
  const stack = new GrantPlatformStack(app, `GrantPlatform-${settings.stage}`, {
    settings,
    description: `Grant and venture management platform (${settings.stage})`,
    tags: { project: 'grant-platform', stage: settings.stage },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

const entry = process.argv[1];
if (entry && pathToFileURL(realpathSync(entry)).href === import.meta.url) {
  createApp().app.synth();
}
