/** mysql2's promise API: a lazy chunk of the bundle (dist/lambda/lazy/mysql2.mjs), loaded by ../engines/mysql/driver.ts. */
import mysql from 'mysql2/promise';

export default mysql;
