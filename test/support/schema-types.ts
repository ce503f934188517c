/**
 * What `src/db/schema.ts` says each table's columns are, read with the TypeScript compiler:
 * for every entry of `Schema`, the columns of `Selectable<…>` (what a query returns), each
 * reduced to the kind of value it holds and whether it can be NULL. Tests compare this with the
 * migrated database, so the Kysely types cannot drift from migrations/.
 */
import path from 'node:path';
import ts from 'typescript';

export type ValueKind = 'string' | 'number' | 'boolean' | 'Date' | 'string[]' | 'json' | `other: ${string}`;

export interface DeclaredColumn {
  readonly kind: ValueKind;
  readonly nullable: boolean;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const PROBE = path.join(ROOT, 'src/db/__schema_probe__.ts');
const PROBE_TEXT = `
import type { Selectable } from 'kysely';
import type { Schema } from './schema.js';
export type Selected = { [T in keyof Schema]: Selectable<Schema[T]> };
`;

/** `cms.table` → column name → what schema.ts declares. */
export function declaredSchema(): Map<string, Map<string, DeclaredColumn>> {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  // The probe exists only in memory: the compiler host serves it and reads everything else from disk.
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (path.resolve(file) === PROBE ? PROBE_TEXT : readFile(file));
  host.fileExists = (file) => path.resolve(file) === PROBE || fileExists(file);
  host.getSourceFile = (file, language, onError, create) =>
    path.resolve(file) === PROBE ? ts.createSourceFile(file, PROBE_TEXT, language, true) : getSourceFile(file, language, onError, create);

  const program = ts.createProgram([PROBE], options, host);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (problems.length > 0) throw new Error(`src/db/schema.ts does not compile: ${problems.join('; ')}`);
  const checker = program.getTypeChecker();
  const probe = program.getSourceFile(PROBE)!;
  const alias = probe.statements.find(ts.isTypeAliasDeclaration)!;
  const selected = checker.getTypeAtLocation(alias.name);

  const tables = new Map<string, Map<string, DeclaredColumn>>();
  for (const table of checker.getPropertiesOfType(selected)) {
    const row = checker.getTypeOfSymbolAtLocation(table, alias);
    const columns = new Map<string, DeclaredColumn>();
    for (const column of checker.getPropertiesOfType(row)) {
      columns.set(column.name, describe(checker, checker.getTypeOfSymbolAtLocation(column, alias)));
    }
    tables.set(table.name, columns);
  }
  return tables;
}

function describe(checker: ts.TypeChecker, type: ts.Type): DeclaredColumn {
  const members = type.isUnion() ? type.types : [type];
  const nullable = members.some((member) => member.flags & ts.TypeFlags.Null);
  const kinds = new Set(members.filter((member) => !(member.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))).map((member) => kindOf(checker, member)));
  // `true | false` is how the checker spells boolean
  const kind = kinds.size === 1 ? [...kinds][0]! : (`other: ${checker.typeToString(type)}` as const);
  return { kind, nullable };
}

function kindOf(checker: ts.TypeChecker, type: ts.Type): ValueKind {
  if (type.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)) return 'string';
  if (type.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return 'number';
  if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return 'boolean';
  if (type.flags & ts.TypeFlags.Unknown) return 'json';
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    return element && element.flags & ts.TypeFlags.String ? 'string[]' : 'json';
  }
  if (type.getSymbol()?.name === 'Date') return 'Date';
  // a ColumnType left unwrapped (Generated<ColumnType<…>> selects as the wrapper, not its value)
  if (type.getProperty('__select__')) return `other: ${checker.typeToString(type)}`;
  if (type.flags & ts.TypeFlags.Object) return 'json';
  return `other: ${checker.typeToString(type)}`;
}
