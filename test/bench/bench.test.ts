/** The benchmark at a small size against MariaDB (see support/benchTests.ts). */
import { registerBenchTests } from './support/benchTests';

registerBenchTests('MYSQL');
