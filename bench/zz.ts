import { readFileSync } from 'node:fs';
import { DuckDbEngine } from '../functions/local/duckdb-engine.ts';
import { lookThroughSql } from '../functions/core/market/market-sql.ts';
import { createMarketService } from '../functions/market/market-service.ts';
import { MemoryLatestTapeIndex, MemorySeriesStore } from '../functions/market/memory-stores.ts';
const dir = '/tmp/dmbs-market-groups-1000x2000';
const entries = JSON.parse(readFileSync(`${dir}/index.json`, 'utf8'));
const index = new MemoryLatestTapeIndex(); for (const e of entries) await index.record(e);
const engine = await DuckDbEngine.open({ root: `${dir}/analytics`, database: `${dir}/market.duckdb` });
let q = 0;
const timed = { query: async (sql: string, p: any) => { const t = performance.now(); const r = await engine.query(sql, p); q += performance.now() - t; return r; } };
const m = createMarketService({ engine: timed, tapes: index, series: new MemorySeriesStore() });
for (let i = 0; i < 3; i++) {
  q = 0; let t = performance.now(); await index.latest('2026-10-31'); const li = performance.now() - t;
  t = performance.now(); await m.createSeries({ name: `s${i}`, asOf: '2026-10-31', rulebook: { minEligibleBalance: 0, minEligibleLoans: 1, minDataQuality: 0 } });
  console.log('latest', li.toFixed(0), 'total', (performance.now() - t).toFixed(0), 'sql', q.toFixed(0));
  q = 0; t = performance.now(); await m.exposures({ by: 'sponsor' }); console.log('sponsor total', (performance.now() - t).toFixed(0), 'sql', q.toFixed(0));
}
