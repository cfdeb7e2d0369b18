// `npm start` / `npm run demo`: builds, then runs the local stack in this same process. npm passes
// a SIGTERM or SIGINT on to its child; with a shell in between (`build && node dist/...`) the shell
// died and the stack kept running with its ports. One process receives the signal and stops the
// stack cleanly (functions/local/main.ts). Arguments go through to the stack (`npm start -- --demo`).
await import('./build.mjs');
await import('../dist/dmbs-local.mjs');
