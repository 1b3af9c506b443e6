/** The RDS IAM token signer: a lazy chunk of the bundle (dist/lambda/lazy/rdsSigner.mjs), see ../lazyModules.ts. */
export { Signer } from '@aws-sdk/rds-signer';
