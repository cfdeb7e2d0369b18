// The tape generator lives with the demo data that ships in the product (functions/local/); tests
// and benchmarks import it from here as before.
export * from '../functions/local/tape-generator.ts';
