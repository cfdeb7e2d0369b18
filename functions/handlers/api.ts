/**
 * Lambda entry point of the HTTP API (API Gateway HTTP API, payload format 2.0): the one Hono app
 * of functions/api behind its Lambda adapter (JWT claims from the Cognito authorizer).
 */
export { handler } from '../api/lambda.ts';
