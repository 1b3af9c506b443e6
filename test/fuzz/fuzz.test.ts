/** The short fixed-seed fuzz run against MariaDB (test/fuzz/suite.ts; PostgreSQL: fuzzPostgresql.test.ts). */
import { fuzzSuite } from './suite';

fuzzSuite('mysql');
