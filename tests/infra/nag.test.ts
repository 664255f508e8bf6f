import { type App, type PolicyViolation, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import { fastAppProps } from './helpers';

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

/** Every `Validations.of(x).acknowledge(...)` in the app, read back from construct metadata. */
function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** AwsSolutions findings as reported (acknowledged ones left out), and all of them (none left out). */
function findings(app: App): { reported: PolicyViolation[]; all: PolicyViolation[] } {
  const reported = new AwsSolutionsChecks().validateScope(app).violations;
  // The same pack, blind to acknowledgements (isAcknowledged is private: replaced at run time).
  const blind = new AwsSolutionsChecks();
  Object.defineProperty(blind, 'isAcknowledged', { value: () => false });
  return { reported, all: blind.validateScope(app).violations };
}

// The app exactly as infra/app.ts builds it (the nag plugin registered), without the bundles.
// stack.test.ts synthesizes it once more with the full cdk.json context.
let app: App;
let reported: PolicyViolation[];
let all: PolicyViolation[];
let synthError: unknown;
beforeAll(() => {
  ({ app } = createApp(fastAppProps()));
  try {
    app.synth(); // runs the registered AwsSolutions plugin, and prepares the tree (aspects)
  } catch (e) {
    synthError = e;
  }
  ({ reported, all } = findings(app));
});

describe('cdk-nag AwsSolutions', () => {
  it('lets the app synthesize: the registered plugin finds no unacknowledged error', () => {
    expect(synthError).toBeUndefined();
  });

  it('reports no unacknowledged error', () => {
    const errors = reported.filter((v) => v.severity === 'error');
    expect(errors.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath)}`)).toEqual(
      [],
    );
  });

  it('reports no unacknowledged warning either', () => {
    const warnings = reported.filter((v) => v.severity !== 'error');
    expect(warnings.map((v) => v.ruleName)).toEqual([]);
  });

  it('gives every acknowledgement a specific reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id, a.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(a.reason.trim().length, `${a.id} on ${a.path}`).toBeGreaterThan(40);
    }
  });

  it('acknowledges only findings that exist, on the resources they concern', () => {
    for (const a of acknowledgements(app)) {
      const hit = all.some(
        (v) =>
          v.ruleName === a.id &&
          v.violatingResources.some(
            (r) => r.constructPath === a.path || r.constructPath?.startsWith(`${a.path}/`),
          ),
      );
      expect(hit, `stale acknowledgement ${a.id} on ${a.path}`).toBe(true);
    }
  });

  it('acknowledges only public routes (APIG4), the derived public-keys secret (SMG4) and per-object document access (IAM5)', () => {
    expect([...new Set(acknowledgements(app).map((a) => a.id.replace(/\[.*$/, '')))].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5',
      'AwsSolutions-SMG4',
    ]);
    // The wildcard accepted is the documents prefix only, never a whole bucket or service.
    for (const a of acknowledgements(app).filter((x) => x.id.startsWith('AwsSolutions-IAM5'))) {
      expect(a.id).toMatch(/^AwsSolutions-IAM5\[Resource::<DocumentsBucket\w+\.Arn>\/submissions\/\*\]$/);
    }
  });
});
