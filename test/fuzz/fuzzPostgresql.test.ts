/**
 * The short fixed-seed fuzz run against PostgreSQL (test/fuzz/suite.ts): the same properties, seeds and case counts
 * as against MariaDB, through runtime settings engine=POSTGRESQL and a mixed-case schema, with a second schema of
 * the same database (same login, same-named tables) that nothing may read or change.
 */
import { fuzzSuite } from './suite';

fuzzSuite('postgresql');
