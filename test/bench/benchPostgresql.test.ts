/** The benchmark at a small size with --engine postgresql, against a throwaway PostgreSQL (see support/benchTests.ts). */
import { registerBenchTests } from './support/benchTests';

registerBenchTests('POSTGRESQL');
