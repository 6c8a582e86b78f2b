import { describe, expect, it } from 'vitest';
import { byteLength, dialectOf, isDdl, redactSqlPasswords, splitStatements } from './sql-text';

describe('splitStatements', () => {
  it('splits at top-level semicolons, trims, drops empty and comment-only pieces', () => {
    expect(splitStatements(' SELECT 1 ;\n\nSELECT 2;;  -- done\n', 'mysql')).toEqual(['SELECT 1', 'SELECT 2']);
    expect(splitStatements('/* only a comment */ ; ', 'postgresql')).toEqual([]);
  });

  it('keeps semicolons inside quotes, identifiers and comments', () => {
    expect(splitStatements("INSERT INTO t VALUES ('a;b', \"c;d\"); SELECT `x;y` FROM t", 'mysql')).toEqual([
      "INSERT INTO t VALUES ('a;b', \"c;d\")",
      'SELECT `x;y` FROM t',
    ]);
    expect(splitStatements("SELECT 'it''s; fine'; SELECT 2", 'postgresql')).toEqual(["SELECT 'it''s; fine'", 'SELECT 2']);
    expect(splitStatements("SELECT 'a\\';b'; SELECT 2", 'mysql')).toEqual(["SELECT 'a\\';b'", 'SELECT 2']);
    expect(splitStatements('SELECT 1 -- a; b\n; SELECT 2 /* c; d */', 'mysql')).toEqual(['SELECT 1 -- a; b', 'SELECT 2 /* c; d */']);
    expect(splitStatements('SELECT 1 # a; b\n; SELECT 2', 'mysql')).toEqual(['SELECT 1 # a; b', 'SELECT 2']);
  });

  it('PostgreSQL: a plain string ends at the first quote after a backslash; E-strings take escapes', () => {
    expect(splitStatements("SELECT 'C:\\'; SELECT 2", 'postgresql')).toEqual(["SELECT 'C:\\'", 'SELECT 2']);
    expect(splitStatements("SELECT E'a\\';b'; SELECT 2", 'postgresql')).toEqual(["SELECT E'a\\';b'", 'SELECT 2']);
  });

  it('PostgreSQL: dollar-quoted bodies and nested block comments stay whole', () => {
    const fn = `CREATE FUNCTION f() RETURNS int AS $body$
BEGIN
  PERFORM 1; RETURN 2;
END;
$body$ LANGUAGE plpgsql`;
    expect(splitStatements(`${fn};\nDO $$ BEGIN RAISE NOTICE 'x;y'; END $$;\nSELECT 3`, 'postgresql')).toEqual([fn, "DO $$ BEGIN RAISE NOTICE 'x;y'; END $$", 'SELECT 3']);
    expect(splitStatements('SELECT 1 /* a /* b; */ c; */; SELECT 2', 'postgresql')).toEqual(['SELECT 1 /* a /* b; */ c; */', 'SELECT 2']);
    // $1 parameters and identifiers with $ are not dollar quotes.
    expect(splitStatements('SELECT $1; SELECT a$b$ FROM t', 'postgresql')).toEqual(['SELECT $1', 'SELECT a$b$ FROM t']);
  });

  it('an unterminated quote runs to the end (the engine reports it)', () => {
    expect(splitStatements("SELECT 'open; SELECT 2", 'mysql')).toEqual(["SELECT 'open; SELECT 2"]);
  });

  it('splits the tutorial script into its statements', () => {
    const s = "CREATE DATABASE myapp;\nCREATE TABLE myapp.users (id INT);\nINSERT INTO myapp.users VALUES (1);\nSELECT * FROM myapp.users;";
    expect(splitStatements(s, 'mysql')).toHaveLength(4);
  });
});

describe('redactSqlPasswords', () => {
  it.each([
    ["CREATE USER 'app'@'%' IDENTIFIED BY 'hunter2'", "CREATE USER 'app'@'%' IDENTIFIED BY '[redacted]'"],
    ["ALTER USER app IDENTIFIED WITH mysql_native_password BY 's3cr;et'", "ALTER USER app IDENTIFIED WITH mysql_native_password BY '[redacted]'"],
    ["ALTER USER app IDENTIFIED WITH 'caching_sha2_password' BY 'x'", "ALTER USER app IDENTIFIED WITH 'caching_sha2_password' BY '[redacted]'"],
    ["GRANT ALL ON *.* TO u IDENTIFIED BY PASSWORD '*ABCDEF'", "GRANT ALL ON *.* TO u IDENTIFIED BY PASSWORD '[redacted]'"],
    ["SET PASSWORD FOR u = 'pw'", "SET PASSWORD FOR u = '[redacted]'"],
    ["SET PASSWORD FOR 'app'@'%' = 'pw'", "SET PASSWORD FOR 'app'@'%' = '[redacted]'"],
    ["SET PASSWORD = PASSWORD('pw')", "SET PASSWORD = PASSWORD('[redacted]')"],
    ["CREATE ROLE app LOGIN PASSWORD 'it''s'", "CREATE ROLE app LOGIN PASSWORD '[redacted]'"],
    ["ALTER USER app WITH ENCRYPTED PASSWORD 'pw' VALID UNTIL 'infinity'", "ALTER USER app WITH ENCRYPTED PASSWORD '[redacted]' VALID UNTIL 'infinity'"],
    ['CREATE ROLE app PASSWORD $p$dollar$p$', "CREATE ROLE app PASSWORD '[redacted]'"],
    ["CHANGE MASTER TO MASTER_USER='r', MASTER_PASSWORD='pw'", "CHANGE MASTER TO MASTER_USER='r', MASTER_PASSWORD='[redacted]'"],
    ['create user a identified by "dq"', "create user a identified by '[redacted]'"],
  ])('%s', (input, expected) => {
    expect(redactSqlPasswords(input)).toBe(expected);
  });

  it('leaves other text alone, including a column called password', () => {
    const s = "SELECT password_hash, 'x' FROM users WHERE name = 'bob'; UPDATE t SET password = NULL";
    expect(redactSqlPasswords(s)).toBe(s);
    expect(redactSqlPasswords('ALTER ROLE app PASSWORD NULL')).toBe('ALTER ROLE app PASSWORD NULL');
  });

  it('redacts every password in a script', () => {
    const out = redactSqlPasswords("CREATE USER a IDENTIFIED BY 'one'; CREATE USER b IDENTIFIED BY 'two';");
    expect(out).not.toMatch(/one|two/);
    expect(out.match(/\[redacted\]/g)).toHaveLength(2);
  });
});

describe('helpers', () => {
  it('isDdl recognises schema changes after leading comments', () => {
    expect(isDdl('-- note\nCREATE TABLE t (id int)')).toBe(true);
    expect(isDdl('/* x */ alter table t add c int')).toBe(true);
    expect(isDdl('SELECT 1')).toBe(false);
    expect(isDdl("INSERT INTO t VALUES ('CREATE')")).toBe(false);
  });
  it('dialectOf and byteLength', () => {
    expect(dialectOf('aurora-postgresql')).toBe('postgresql');
    expect(dialectOf('aurora-mysql')).toBe('mysql');
    expect(byteLength('é')).toBe(2);
  });
});
