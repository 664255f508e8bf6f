import type { DocumentOps, DocumentsConfig } from './s3-ops';

/**
 * The documents bucket, its S3 code loaded on first use. The S3 client and the presigner are a
 * third of a bundle that includes them, and only attachment requests need them: `./s3-ops.js`
 * stays a dynamic import, kept out of the bundle (LAZY_CHUNKS in infra/bundling.ts) and shipped
 * as a file of its own beside it. Locally the import loads the TypeScript module as usual.
 */
export class DocumentStore implements DocumentOps {
  private ops?: Promise<DocumentOps>;

  constructor(private readonly config: DocumentsConfig) {}

  private load(): Promise<DocumentOps> {
    this.ops ??= import('./s3-ops.js').then(
      (m) => m.documentOps(this.config),
      (e: unknown) => {
        this.ops = undefined;
        throw e;
      },
    );
    return this.ops;
  }

  async head(key: string) {
    return (await this.load()).head(key);
  }

  async signedPut(object: Parameters<DocumentOps['signedPut']>[0], expiresIn: number) {
    return (await this.load()).signedPut(object, expiresIn);
  }

  async signedGet(object: Parameters<DocumentOps['signedGet']>[0], expiresIn: number) {
    return (await this.load()).signedGet(object, expiresIn);
  }
}
