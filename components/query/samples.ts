// The Aurora tutorial's step 3 (create a database and a table, insert two rows, read them back) per engine.
// The Data API has no USE and a call cannot switch databases, so the MySQL sample names the tables myapp.users
// and the PostgreSQL sample uses the database in the Database field.

export interface QuerySample {
  label: string;
  database: string;
  sql: string;
}

export function tutorialSample(engine: string): QuerySample {
  if (/postgres/i.test(engine)) {
    return {
      label: 'Tutorial step 3 (PostgreSQL)',
      database: '',
      sql: [
        '-- PostgreSQL: a Data API call runs in one database. To use a new one, run CREATE DATABASE myapp, then put myapp in the Database field.',
        'CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(255) UNIQUE);',
        "INSERT INTO users (name, email) VALUES ('Alice', 'alice@example.com'), ('Bob', 'bob@example.com');",
        'SELECT * FROM users ORDER BY id;',
      ].join('\n'),
    };
  }
  return {
    label: 'Tutorial step 3 (MySQL)',
    database: '',
    sql: [
      '-- MySQL: the Data API has no USE, so the tables are named myapp.users (or put myapp in the Database field).',
      'CREATE DATABASE IF NOT EXISTS myapp;',
      'CREATE TABLE myapp.users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(255) UNIQUE);',
      "INSERT INTO myapp.users (name, email) VALUES ('Alice', 'alice@example.com'), ('Bob', 'bob@example.com');",
      'SELECT * FROM myapp.users ORDER BY id;',
    ].join('\n'),
  };
}
