/** Process entry of the `dmbs` bin (bundled to dist/dmbs.mjs by scripts/build.mjs). */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
