/**
 * What the API app is built from: ports over the results table, the artifact store, the upload
 * presigner and the auth provider, plus a clock. functions/api/adapters.ts wires the real ones
 * (DynamoResultsRepository, S3TapeStore, the SDK presigner); tests may pass fakes.
 */
import type { DynamoResultsRepository } from '../aws/results-repository.ts';
import type { BusEventPublisher, RescoreJobRecord, RescoreScope, RescoreService, ResponseExports, TapeStore } from '../pipeline/ports.ts';
import type { MarketService } from '../market/market-service.ts';
import type { AuthProvider } from './principal.ts';

/** The read side of the results repository (DynamoResultsRepository satisfies it). */
export type ResultsReader = Pick<DynamoResultsRepository, 'getTape' | 'listTapesByDeal' | 'listDealsByIssuer' | 'listDeals' | 'getDeal' | 'listTapesByStatus' | 'dealKind'>;

/** Reads a tape's stored artifacts (report, findings, loans, loan results, loan pages); S3TapeStore satisfies it. */
export type ArtifactReader = Pick<TapeStore, 'open' | 'readLines' | 'getJson' | 'readRange'>;

/** The deals' files under `mapping/` or `stress/` of the tapes bucket (read and write); S3TapeStore satisfies it. */
export type DealFileStore = Pick<TapeStore, 'getJson' | 'putJson'>;

/** A presigned single-object PUT. */
export interface PresignedUpload {
  readonly url: string;
  /** Headers the PUT must carry unchanged (signed). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Presigns a PUT of exactly `contentLength` bytes to `key` in the tapes bucket. */
export interface UploadPresigner {
  presignPut(input: { key: string; contentLength: number; expiresInSeconds: number; signingDate: Date }): Promise<PresignedUpload>;
  /**
   * The origin its URLs point at (`https://bucket.s3.region.amazonaws.com`, the emulator's
   * `http://127.0.0.1:port`): the reviewers' page's CSP lets the page PUT a tape there.
   */
  origin?(): Promise<string>;
}

/** Static files of the reviewers' page: path below `/` -> bytes and media type, or undefined. */
export interface StaticAssets {
  get(path: string): Promise<{ body: Uint8Array; contentType: string } | undefined>;
}

/** Readiness of what the API depends on: name -> 'ok' or why not. */
export type ReadinessCheck = () => Promise<Record<string, string>>;

export type ApiLog = (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;

export interface ApiOptions {
  /** Largest tape an issuer may upload, bytes (default 2 GiB, the pipeline's DEFAULT_MAX_TAPE_BYTES). */
  readonly maxUploadBytes?: number;
  /** Largest request body, bytes (default 16 KiB: the API takes small JSON bodies only). */
  readonly maxBodyBytes?: number;
  /** Presigned URL lifetime, seconds (default 900: 15 minutes). */
  readonly uploadUrlSeconds?: number;
  /** Most deals scanned to find a deal id across issuers when a reviewer gives no ?issuerId= (default 10,000). */
  readonly maxDealScan?: number;
  /**
   * Largest response body answered inline, bytes; a larger one is stored (`ApiDeps.exports`) and
   * answered by 303 See Other to a presigned GET of it. Default: no limit (the node server streams
   * any size); the Lambda adapter sets one, as Lambda refuses a response over 6 MB (large-responses.ts).
   */
  readonly maxResponseBytes?: number;
}

/** Headers a presigned GET answers with, whatever the object was stored with. */
// The ports the AWS and local adapters implement live with the pipeline's (imports point inward).
export type { PresignedHeaders, ResponseExports, RescoreService } from '../pipeline/ports.ts';

/** Everything `createApp` needs. */
export interface ApiDeps {
  readonly results: ResultsReader;
  readonly artifacts: ArtifactReader;
  readonly presigner: UploadPresigner;
  readonly auth: AuthProvider;
  /** Clock (tests pin it). Default: the system clock. */
  readonly now?: () => Date;
  /** The reviewers' page; without it `/` answers 404. */
  readonly assets?: StaticAssets;
  /** GET /health: 200 when every check says 'ok', else 503. Default: no checks (always ready). */
  readonly readiness?: ReadinessCheck;
  readonly log?: ApiLog;
  /** Re-scores (reviewers and onboarding); without it the re-score routes answer 503 RESCORE_UNAVAILABLE. */
  readonly rescores?: RescoreService;
  /** The deals' column mappings (GET/PUT /v1/deals/{dealId}/mapping); without it those routes answer 503 MAPPING_UNAVAILABLE. */
  readonly mappings?: DealFileStore;
  /** The deals' stress models (GET/PUT /v1/deals/{dealId}/stress, under `stress/`); without it those routes answer 503 STRESS_MODELS_UNAVAILABLE. */
  readonly stressModels?: DealFileStore;
  /** The market view and DMBX series (/v1/market, /v1/dmbx); without it those routes answer 503. */
  readonly market?: MarketService;
  /** Where DmbxSeriesCreated goes (EventBridge on AWS, the events log locally); without it no event is sent. */
  readonly events?: BusEventPublisher;
  /** Where responses over `options.maxResponseBytes` go; without it (or the limit) every response is inline. */
  readonly exports?: ResponseExports;
  readonly options?: ApiOptions;
}

/** 2 GiB: the pipeline refuses larger tapes (functions/pipeline/validate-step.ts DEFAULT_MAX_TAPE_BYTES). */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
export const DEFAULT_UPLOAD_URL_SECONDS = 15 * 60;
