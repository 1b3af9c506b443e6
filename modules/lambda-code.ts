import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import type { Construct } from 'constructs';

/** Where the Lambda package comes from, as the two attributes aws_lambda_function needs. */
export interface BoundLambdaCode {
  /** Value of `filename`: a path Terraform reads when it plans. */
  readonly filename: string;
  /** Value of `source_code_hash`: changes exactly when the code changes. */
  readonly sourceCodeHash: string;
}

/** The bundle `npm run build` writes (scripts/build-lambda.mjs). Resolved from this file, not the working dir. */
export const DEFAULT_BUNDLE_DIRECTORY = resolve(__dirname, '..', 'dist', 'lambda');

/** The code of the connector Lambda. */
export abstract class LambdaCode {
  /**
   * A directory holding the esbuild bundle (`index.js` exporting `handler`). CDKTF zips it into the stack's
   * assets at synth time.
   */
  static fromBundleDirectory(directory: string = DEFAULT_BUNDLE_DIRECTORY): LambdaCode {
    return new BundleDirectoryCode(directory);
  }

  /**
   * A zip file Terraform reads itself, e.g. `${path.module}/lambda.zip` inside a plain module. Its hash is taken by
   * Terraform's `filebase64sha256` when it plans.
   */
  static fromZipFile(filename: string): LambdaCode {
    return new ZipFileCode(filename);
  }

  /** Called once by the construct that uses the code. */
  abstract bind(scope: Construct): BoundLambdaCode;
}

class BundleDirectoryCode extends LambdaCode {
  constructor(private readonly directory: string) {
    super();
  }

  bind(scope: Construct): BoundLambdaCode {
    // TerraformAsset throws on relative paths unless a cdktf.json sits above the working directory.
    if (!isAbsolute(this.directory)) {
      throw new Error(`LambdaCode.fromBundleDirectory needs an absolute path, got "${this.directory}"`);
    }
    if (!existsSync(join(this.directory, 'index.js'))) {
      throw new Error(
        `The Lambda bundle ${join(this.directory, 'index.js')} does not exist: run \`npm run build\` first`,
      );
    }
    const asset = new TerraformAsset(scope, 'code', { path: this.directory, type: AssetType.ARCHIVE });
    // The zip CDKTF writes stores file times, so hashing the zip would change on every build: use the hash of
    // the directory's contents instead.
    return { filename: asset.path, sourceCodeHash: asset.assetHash };
  }
}

class ZipFileCode extends LambdaCode {
  constructor(private readonly filename: string) {
    super();
  }

  bind(): BoundLambdaCode {
    // A plain string: CDKTF escapes `${` inside Fn.* arguments but passes it through in literal attributes.
    return { filename: this.filename, sourceCodeHash: `\${filebase64sha256("${this.filename}")}` };
  }
}
