/**
 * The Athena engine's control flow with a scripted client: result pages are followed to the end
 * (the header row skipped on the first page only), a failed query names Athena's reason, and a
 * query past its time budget is stopped. Wire-level behaviour: test/integration/athena-engine.test.ts.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import { AthenaEngine, convert, sqlLiteral } from '../../../functions/aws/athena-engine.ts';

type Sent = { name: string; input: Record<string, any> };

/** A client whose answers are scripted per command name; it records what was sent. */
function scripted(answers: Record<string, (input: Record<string, any>, n: number) => unknown>) {
  const sent: Sent[] = [];
  const counts = new Map<string, number>();
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, any> }) => {
      const name = command.constructor.name;
      sent.push({ name, input: command.input });
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      const answer = answers[name];
      if (!answer) throw new Error(`unexpected ${name}`);
      return answer(command.input, n);
    },
  } as unknown as AthenaClient;
  return { client, sent };
}

const columns = [{ Name: 'n', Label: 'n', Type: 'varchar' }];
const row = (v: string) => ({ Data: [{ VarCharValue: v }] });

describe('AthenaEngine', () => {
  it('polls until SUCCEEDED and follows every result page, skipping the header on the first only', async () => {
    const { client, sent } = scripted({
      StartQueryExecutionCommand: () => ({ QueryExecutionId: 'q1' }),
      GetQueryExecutionCommand: (_i, n) => ({ QueryExecution: { Status: { State: n < 3 ? 'RUNNING' : 'SUCCEEDED' } } }),
      GetQueryResultsCommand: (input) => {
        const pages: Record<string, unknown> = {
          start: { ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: [row('n'), row('a'), row('b')] }, NextToken: 'p2' },
          p2: { ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: [row('n'), row('c')] }, NextToken: 'p3' },
          p3: { ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: [row('d')] } },
        };
        return pages[input.NextToken ?? 'start'];
      },
    });
    const engine = new AthenaEngine({ client, workGroup: 'wg', database: 'db', pollMs: { first: 1, max: 2 }, pageSize: 2 });
    // A value equal to the column's name on a later page is data, not a header.
    expect(await engine.query('SELECT n FROM dmbs_loans', [])).toEqual([{ n: 'a' }, { n: 'b' }, { n: 'n' }, { n: 'c' }, { n: 'd' }]);
    expect(sent.filter((s) => s.name === 'GetQueryExecutionCommand')).toHaveLength(3);
    expect(sent.filter((s) => s.name === 'GetQueryResultsCommand').map((s) => [s.input.NextToken, s.input.MaxResults])).toEqual([[undefined, 2], ['p2', 2], ['p3', 2]]);
    const start = sent.find((s) => s.name === 'StartQueryExecutionCommand')!.input;
    expect(start).toMatchObject({ QueryString: 'SELECT n FROM dmbs_loans', WorkGroup: 'wg', QueryExecutionContext: { Database: 'db', Catalog: 'AwsDataCatalog' } });
    expect(start.ExecutionParameters).toBeUndefined();
  });

  it('a FAILED query throws with Athena\'s reason', async () => {
    const { client } = scripted({
      StartQueryExecutionCommand: () => ({ QueryExecutionId: 'q2' }),
      GetQueryExecutionCommand: () => ({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'Query exhausted the bytes scanned cutoff' } } }),
    });
    await expect(new AthenaEngine({ client, workGroup: 'wg', database: 'db' }).query('SELECT 1', [])).rejects.toThrow(/q2 FAILED: Query exhausted the bytes scanned cutoff/);
  });

  it('a query past its time budget is stopped, and says so', async () => {
    const { client, sent } = scripted({
      StartQueryExecutionCommand: () => ({ QueryExecutionId: 'q3' }),
      GetQueryExecutionCommand: () => ({ QueryExecution: { Status: { State: 'RUNNING' } } }),
      StopQueryExecutionCommand: () => ({}),
    });
    const engine = new AthenaEngine({ client, workGroup: 'wg', database: 'db', timeoutMs: 30, pollMs: { first: 5, max: 10 } });
    await expect(engine.query('SELECT 1', [])).rejects.toThrow(/q3 did not finish within 30 ms .*stopped/);
    expect(sent.filter((s) => s.name === 'StopQueryExecutionCommand').map((s) => s.input.QueryExecutionId)).toEqual(['q3']);
  });
});

describe('parameters and values', () => {
  it('parameters are SQL literals: strings quoted with quotes doubled, finite numbers as written', () => {
    expect(sqlLiteral("O'Neil")).toBe("'O''Neil'");
    expect(sqlLiteral('2026-03-31')).toBe("'2026-03-31'");
    expect(sqlLiteral(1000)).toBe('1000');
    expect(sqlLiteral(0.25)).toBe('0.25');
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
  });

  it('values by column type: decimals and bigints stay exact text (the port\'s contract), integers are numbers', () => {
    expect(convert('123456789012.34', 'decimal(18,2)')).toBe('123456789012.34');
    expect(convert('9007199254740993', 'bigint')).toBe('9007199254740993');
    expect(convert('42', 'bigint')).toBe('42');
    expect(convert('42', 'integer')).toBe(42);
    expect(convert('1.5E-3', 'double')).toBe(0.0015);
    expect(convert('false', 'boolean')).toBe(false);
    expect(convert('2026-03-31', 'date')).toBe('2026-03-31');
    expect(convert(undefined, 'varchar')).toBeNull();
  });
});
