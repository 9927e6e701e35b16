// Parses every statement of a Cypher file written by `twinscan rules export --dialect neo4j`
// with Neo4j's own grammar and semantic analysis (@neo4j-cypher/language-support, installed
// by scripts/install-deps), given the labels, relationship types and parameters it may use.
// Usage: node parse_statements.cjs FILE.cypher SCHEMA.json  (module path in NODE_PATH)
'use strict';
const fs = require('fs');
const ls = require('@neo4j-cypher/language-support');

const [file, schemaFile] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8').split('\n').filter((l) => !l.startsWith('//')).join('\n'));
const labels = Object.keys(schema.entities || schema.kinds || {});
const types = Object.keys(schema.relations || {});
let failures = 0;
let statements = 0;
let params = {};
let current = [];
let startLine = 0;
const lines = fs.readFileSync(file, 'utf8').split('\n');
lines.forEach((line, i) => {
  if (line.startsWith('//') || line.trim() === '') return;
  if (line.startsWith(':param ')) {
    params = {};
    for (const m of line.matchAll(/[{,]\s*([A-Za-z_][A-Za-z0-9_]*):/g)) params[m[1]] = null;
    return;
  }
  if (current.length === 0) startLine = i + 1;
  current.push(line);
  if (!line.endsWith(';')) return;
  const text = current.join('\n');
  current = [];
  statements++;
  const result = ls.lintCypherQuery(text, {labels, relationshipTypes: types, parameters: params});
  for (const d of result.diagnostics) {
    // The rules that pair a project with every sensitive site mean the cross product.
    if (d.severity !== 1 && d.message.startsWith('If a part of a query contains multiple disconnected patterns')) continue;
    failures++;
    const where = startLine + d.range.start.line;
    console.log(`${file}:${where}:${d.range.start.character + 1}: ${d.severity === 1 ? 'error' : 'warning'}: ${d.message}`);
  }
});
if (current.length) { console.log(`${file}:${startLine}: error: a statement without ';'`); failures++; }
console.log(`${statements} statements parsed, ${failures} problems`);
process.exit(failures === 0 && statements > 0 ? 0 : 1);
