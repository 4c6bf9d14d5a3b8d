// The provider manifest format, as zod schemas: a provider is data (services, resources, columns,
// parameters, request, pagination, auth). Every manifest is validated against these when loaded,
// so the engine can interpret any provider generically.
import { z } from 'zod';

export const columnTypes = ['string', 'integer', 'number', 'boolean', 'datetime', 'json'] as const;
/** The row columns a lower bound on which this parameter serves (`lowerBoundOf`, one or a list). */
export function lowerBoundColumns(p: Pick<ParameterSpec, 'lowerBoundOf'>): string[] {
  return p.lowerBoundOf === undefined ? [] : [p.lowerBoundOf].flat();
}

export type PaginationKind = PaginationSpec['kind'];

/** Long-running-operation styles, each a handler in src/fetch/long-running-kinds.ts. */
export const longRunningKinds = ['azure-async'] as const;
export type LongRunningKind = (typeof longRunningKinds)[number];

export type AuthKind = AuthSpec['kind'];

/**
 * How the API reports errors: which envelope holds the code and message, which codes are worth
 * a retry (throttling sent as a 400) and which mean the credentials were not accepted.
 */
export const errorEnvelopes = ['auto', 'arm', 'error-details', 'oauth', 'kind-message', 'aws-json'] as const;
export type ErrorEnvelope = (typeof errorEnvelopes)[number];

/**
 * Builds the manifest schemas. zod's construction costs start-up ~10 ms, which a statement that
 * validates no manifest (SELECT 1, SHOW PROVIDERS, any built-in table) does not pay: they are built
 * on first use, through `schemas()`.
 */
function build() {
  const ColumnType = z.enum(columnTypes);
  const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, _)');

  /** An ISO-8601 duration such as P30D, PT1H, P1DT12H. */
  const Duration = z.string().regex(/^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/, 'must be an ISO-8601 duration such as P30D or PT15M');

  const ColumnSpec = z.strictObject({
    name: identifier,
    type: ColumnType,
    description: z.string().default(''),
    /**
     * Dotted path of the field in the API item; defaults to `name`. A list names the spellings of
     * one field in different response shapes: the first one present in an item is used (an API
     * whose clients disagree on field names fills the same column either way).
     */
    from: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    /** Derive the value with a regular expression over another field (first capture group). */
    extract: z.strictObject({ from: z.string(), pattern: z.string() }).optional(),
    /** Compare case-insensitively in SQL (COLLATE NOCASE), as the API does (ARM names). */
    caseInsensitive: z.boolean().default(false),
    /** A numeric datetime counts these units since the Unix epoch (AWS JSON 1.1 sends seconds). */
    epochUnit: z.enum(['seconds', 'milliseconds']).optional(),
    /**
     * Filled from another resource when the item leaves it out: `column` of the row of `resource`
     * whose `match` column equals this row's `key` column (a region id → the region's name). The
     * planner fetches that resource only when a statement names this column or selects `*`.
     */
    lookup: z.strictObject({ resource: z.string(), key: z.string(), match: z.string(), column: z.string() }).optional(),
  });
  const Scalar = z.union([z.string(), z.number(), z.boolean()]);

  /** One predicate form a filter parameter can carry: an expression template, or a `{key, value}` item. */
  const FilterTemplate = z.union([z.string(), z.record(z.string(), z.string())]);

  /**
   * A parameter whose value pushdown builds from several predicates (Boundary's `filter`
   * expression, SSM's `Filters` list). Only declare a form whose API semantics are exactly SQL's
   * (or wider): the user's WHERE runs again in SQLite either way.
   */
  const FilterSpec = z.strictObject({
    /** `expression`: one text joined from templates; `list`: an array of template objects. */
    format: z.enum(['expression', 'list']),
    /** Joins the predicates of different columns (expression format). */
    join: z.string().default(' and '),
    /** Joins the alternatives of an IN list (expression format; a list format does not push IN). */
    anyOf: z.string().default(' or '),
    /** How `{value}` is written: `json` (a double-quoted JSON string) or `raw`. */
    quote: z.enum(['json', 'raw']).default('raw'),
    /**
     * Per column, per operator (`eq` for = and IN, `ge` for >= > = BETWEEN lower bounds, `lt` for
     * < <= BETWEEN upper bounds, datetimes only) the template; `{value}` is the SQL value.
     */
    columns: z.record(z.string(), z.strictObject({ eq: FilterTemplate.optional(), ge: FilterTemplate.optional(), lt: FilterTemplate.optional() })),
  });
  const ParameterSpec = z.strictObject({
    /** Where the value goes on the wire. */
    in: z.enum(['path', 'query', 'body', 'header', 'endpoint']),
    /** Name on the wire when it differs from the SQL name. */
    wireName: z.string().optional(),
    type: z.enum(['string', 'integer', 'boolean', 'datetime', 'json']).default('string'),
    required: z.boolean().default(false),
    description: z.string().default(''),
    enum: z.array(z.string()).optional(),
    /** Default sent when the WHERE binds nothing: a literal, or `now-<duration>` for datetimes. */
    default: Scalar.optional(),
    /** Default taken from a provider config key (for example a default subscription). */
    defaultFromConfig: z.string().optional(),
    /** Compare case-insensitively in SQL (COLLATE NOCASE), as the API does (ARM names). */
    caseInsensitive: z.boolean().default(false),
    /** Other spellings accepted in SQL (stackql's snake_case names). */
    aliases: z.array(identifier).default([]),
    /** Oldest value the API accepts, as a duration back from now (history windows). */
    maxAge: Duration.optional(),
    /** Note on the history window shown in DESCRIBE and in errors. */
    maxAgeNote: z.string().optional(),
    /**
     * A lower bound on this row column can be served by this parameter: `col >= X` and `col > X`
     * bind it to X (safe only when the API returns every row whose column is >= the value). A list
     * names several columns holding the same value (an API field and its Terraform name).
     */
    lowerBoundOf: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    /** Values sent on the wire when they differ from the SQL value (SQL value → wire value). */
    wireValues: z.record(z.string(), z.string()).optional(),
    /**
     * How a required parameter with no binding is enumerated instead of failing: `enum` fans out
     * over the enum values; a resource fans out over the rows that listing it returns.
     */
    enumerate: z
      .union([
        z.literal('enum'),
        z.strictObject({
          /** The resource listed to find values, `provider.service.resource`. */
          resource: z.string(),
          /** Parameter of this resource ← column of the listed resource; filled together. */
          columns: z.record(z.string(), z.string()),
        }),
      ])
      .optional(),
    /** Filled by pushdown from predicates on columns (see FilterSpec); not a column itself. */
    filter: FilterSpec.optional(),
  });
  const PaginationSpec = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.literal('cursor'),
      /** Query parameter that carries the cursor. */
      param: z.string(),
      /** Response field holding the next cursor; absent or empty means the last page. */
      field: z.string(),
    }),
    z.strictObject({
      kind: z.literal('page'),
      pageParam: z.string().default('page'),
      sizeParam: z.string().default('size'),
      size: z.number().int().positive(),
      /** First page number (0 for CloudConnexa). */
      firstPage: z.number().int().default(0),
      totalPagesField: z.string().default('totalPages'),
    }),
    z.strictObject({
      kind: z.literal('nextLink'),
      /** Response field with the absolute URL of the next page (fetched with GET). */
      field: z.string().default('nextLink'),
    }),
    z.strictObject({
      /** A page token from a response field, sent back in the query, a header or the JSON body. */
      kind: z.literal('token'),
      field: z.string(),
      param: z.string(),
      in: z.enum(['query', 'header', 'body']).default('query'),
    }),
    z.strictObject({
      /**
       * A list token repeated with the same request until a field says the listing is complete
       * (Boundary's list_token / response_type); an absent or empty done field also ends it.
       */
      kind: z.literal('listToken'),
      field: z.string(),
      param: z.string(),
      in: z.enum(['query', 'header', 'body']).default('query'),
      doneField: z.string(),
      doneValue: z.string(),
    }),
  ]);
  const RequestSpec = z.strictObject({
    method: z.enum(['GET', 'POST']).default('GET'),
    /** Path template; `{name}` is a path parameter or a provider config key. */
    path: z.string().startsWith('/'),
    /** Static query parameters sent on every call (for example api-version, size). */
    query: z.record(z.string(), Scalar).default({}),
    /** Static JSON body (for POST actions). */
    body: z.record(z.string(), z.unknown()).optional(),
    /** Static request headers (e.g. X-Amz-Target, a JSON dialect's content type). */
    headers: z.record(z.string(), z.string()).default({}),
  });

  /**
   * How `sessql sync` copies a resource into the history database (absent: not syncable).
   * incremental: ask only for what changed since the high-water mark (a time-window parameter);
   * snapshot: the API shows only the present, so history is kept through sightings (first seen,
   * last seen, gone); full: the whole list each time, upserted by key.
   */
  const SyncSpec = z.discriminatedUnion('mode', [
    z.strictObject({
      mode: z.literal('incremental'),
      /** Parameter taking the lower bound of the "created or updated since" window. */
      startParam: z.string(),
      /** Parameter taking the exclusive upper bound (windows of `chunk` during a backfill). */
      endParam: z.string().optional(),
      /** Row columns (server times) whose greatest value seen is the high-water mark. */
      highWater: z.array(z.string()).min(1),
      /** Each later sync starts this long before the high-water mark (late writes, clock skew). */
      overlap: Duration.default('PT15M'),
      /** How far back the first sync reaches (default: the start parameter's maxAge). */
      backfill: Duration.optional(),
      /** Window length of a long backfill (each window is one pass of API calls). */
      chunk: Duration.default('P7D'),
    }),
    z.strictObject({ mode: z.literal('snapshot') }),
    z.strictObject({ mode: z.literal('full') }),
  ]);
  const ResourceSpec = z.strictObject({
    title: z.string().optional(),
    description: z.string(),
    request: RequestSpec,
    /** Other requests used instead of `request` when all of their parameters are bound. */
    alternatives: z.array(z.strictObject({ whenBound: z.array(z.string()).min(1), request: RequestSpec })).default([]),
    /**
     * Dotted path of the rows array in the response; `$` when the body is the array itself. A
     * trailing `?` (`items?`) lets an empty page leave the field out (protojson APIs do).
     */
    rows: z.string().default('$'),
    pagination: PaginationSpec.default({ kind: 'none' }),
    /**
     * The API filters on a time window [start, end): a large window is split into sub-windows
     * fetched concurrently, and rows returned by two sub-windows are one row (by `key`).
     */
    windowSplit: z
      .strictObject({
        startParam: z.string(),
        endParam: z.string(),
        minHours: z.number().positive().default(2),
        /**
         * A row field holding each row's creation instant, in whose order the API returns a window's
         * pages: the last row of a page then tells how far a cursor chain got, so the loader can skip
         * what the probe page covered and split the rest of a chain that falls behind.
         */
        orderedBy: z.string().optional(),
        /**
         * The row field holding each row's creation instant, where the order is not declared: a
         * window paged in one sequence under a slow rate limit estimates its pages left from it
         * while the rows happen to come in its order (never for the schedule, only the estimate).
         */
        createdField: z.string().optional(),
        /** A boolean parameter that, when true, limits a window to rows created in it (not merely updated). */
        createdOnly: z.string().optional(),
      })
      .optional(),
    /** Azure long-running operations: a 202 is polled until the final 200 (its body is page 1). */
    longRunning: z.enum(longRunningKinds).optional(),
    /** Columns that identify a row; rows with the same key and parameter values are one row. */
    key: z.array(z.string()).default([]),
    /** Marks the resource syncable into history (`sessql sync`) and says how. */
    sync: SyncSpec.optional(),
    parameters: z.record(identifier, ParameterSpec).default({}),
    columns: z.array(ColumnSpec).min(1),
    /** Deep-merged into this resource when every provider config value in `when` matches. */
    variants: z.array(z.strictObject({ when: z.record(z.string(), z.string()), set: z.record(z.string(), z.unknown()) })).default([]),
    /** SELECT examples for the generated docs (each must run against the simulator). */
    examples: z.array(z.strictObject({ title: z.string(), sql: z.string() })).default([]),
    /** Operations invoked with EXEC (writes are refused unless explicitly allowed). */
    methods: z
      .record(
        identifier,
        z.strictObject({
          description: z.string(),
          write: z.boolean().default(true),
          request: RequestSpec,
          parameters: z.record(identifier, ParameterSpec).default({}),
          rows: z.string().default('$'),
          pagination: PaginationSpec.default({ kind: 'none' }),
          columns: z.array(ColumnSpec).min(1),
        }),
      )
      .default({}),
  });
  const ServiceSpec = z.strictObject({
    description: z.string(),
    resources: z.record(identifier, ResourceSpec),
  });

  const ConfigKeySpec = z.strictObject({
    description: z.string(),
    /** Environment variable that supplies the value. */
    env: z.string().optional(),
    default: z.string().optional(),
    enum: z.array(z.string()).optional(),
    /** Secrets are never printed and never accepted literally in config files. */
    secret: z.boolean().default(false),
    /** Needed before any API call (otherwise MISSING_CREDENTIALS / INVALID_CONFIG). */
    required: z.boolean().default(false),
    /** Further environment variables tried in order when `env` is unset. */
    envFallbacks: z.array(z.string()).default([]),
  });
  const AuthSpec = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.literal('oauth2-client-credentials'),
      /** Token endpoint path, relative to the base URL. */
      tokenPath: z.string().startsWith('/'),
      clientIdConfig: z.string(),
      clientSecretConfig: z.string(),
      /** How credentials are sent: HTTP Basic (+ JSON body), or in the query string. */
      credentialsIn: z.enum(['basic', 'query']).default('basic'),
      scope: z.string().optional(),
    }),
    z.strictObject({
      kind: z.literal('bearer'),
      /** Config key holding a static bearer token. */
      tokenConfig: z.string(),
    }),
    z.strictObject({
      kind: z.literal('azure-credential'),
      /** Config key with a ready bearer token (used when set, e.g. AZURE_ACCESS_TOKEN). */
      tokenConfig: z.string(),
      scope: z.string(),
    }),
    z.strictObject({
      /**
       * A bearer token from `tokenConfig` when set, else one obtained by a login request (POST
       * `path` with the JSON `body`, `{setting}` placeholders filled from config) and kept for the run.
       */
      kind: z.literal('login'),
      tokenConfig: z.string().optional(),
      path: z.string().startsWith('/'),
      body: z.record(z.string(), z.unknown()),
      /** Dotted path of the token in the login response. */
      tokenField: z.string(),
      /** Dotted path of the token's expiry (RFC 3339), optional. */
      expiresField: z.string().optional(),
      /** Settings the login needs. */
      loginConfig: z.array(z.string()).min(1),
      /**
       * Statuses after which a logged-in token is dropped and the request sent once more with a new
       * login: an API that answers an expired token with 403 (Boundary's recursive lists) lists it.
       */
      reloginOn: z.array(z.number().int().min(400).max(499)).default([401]),
    }),
    z.strictObject({
      /**
       * AWS Signature Version 4 over the whole request. Credentials from the settings when the key
       * id is set, else the AWS SDK's default provider chain (profiles, SSO, container, instance).
       */
      kind: z.literal('sigv4'),
      service: z.string(),
      /** Signing region; `{name}` placeholders take the call's parameters, then settings. */
      region: z.string(),
      accessKeyIdConfig: z.string().optional(),
      secretAccessKeyConfig: z.string().optional(),
      sessionTokenConfig: z.string().optional(),
      /** When this setting is set, the profile chain is used even if keys are set (AWS_PROFILE). */
      profileConfig: z.string().optional(),
    }),
  ]);
  const RateLimitSpec = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      /** Spring-style X-RateLimit-Remaining / -Replenish-Rate / -Replenish-Time / -Burst-Capacity. */
      kind: z.literal('x-ratelimit'),
      /** Wait after a 429 with no Retry-After when no headers have been seen yet. */
      bare429WaitSeconds: z.number().positive().default(60),
    }),
    z.strictObject({
      /** ARM: 429 with Retry-After seconds. */
      kind: z.literal('retry-after'),
    }),
  ]);
  const ErrorsSpec = z.strictObject({
    envelope: z.enum(errorEnvelopes).default('auto'),
    retryableCodes: z.array(z.string()).default([]),
    credentialCodes: z.array(z.string()).default([]),
    /** Hints per error code, shown with the error (e.g. which variable to check). */
    hints: z.record(z.string(), z.string()).default({}),
  });
  const ProviderSpec = z.strictObject({
    name: identifier,
    title: z.string(),
    description: z.string(),
    /** Provider settings: base URL, credentials (by environment variable), API variants. */
    config: z.record(identifier, ConfigKeySpec),
    /** Config key holding the base URL. */
    baseUrlConfig: z.string(),
    auth: AuthSpec,
    rateLimit: RateLimitSpec.default({ kind: 'none' }),
    errors: ErrorsSpec.default({ envelope: 'auto', retryableCodes: [], credentialCodes: [], hints: {} }),
    /** Concurrent requests per provider across fan-out calls. */
    concurrency: z.number().int().positive().default(4),
    /** Per-request timeout. */
    timeoutSeconds: z.number().positive().default(30),
    maxRetries: z.number().int().min(0).default(5),
    services: z.record(identifier, ServiceSpec),
  });
  return {
    ColumnType,
    identifier,
    Duration,
    ColumnSpec,
    Scalar,
    FilterTemplate,
    FilterSpec,
    ParameterSpec,
    PaginationSpec,
    RequestSpec,
    SyncSpec,
    ResourceSpec,
    ServiceSpec,
    ConfigKeySpec,
    AuthSpec,
    RateLimitSpec,
    ErrorsSpec,
    ProviderSpec,
  };
}

type Schemas = ReturnType<typeof build>;
let built: Schemas | undefined;

/** The manifest schemas (built once, on first use). */
export function schemas(): Schemas {
  return (built ??= build());
}

export type ColumnType = z.infer<Schemas['ColumnType']>;

export type ColumnSpec = z.infer<Schemas['ColumnSpec']>;

export type FilterSpec = z.infer<Schemas['FilterSpec']>;

export type ParameterSpec = z.infer<Schemas['ParameterSpec']>;

export type PaginationSpec = z.infer<Schemas['PaginationSpec']>;
export type SyncSpec = z.infer<Schemas['SyncSpec']>;

export type ResourceSpec = z.infer<Schemas['ResourceSpec']>;

export type ConfigKeySpec = z.infer<Schemas['ConfigKeySpec']>;

export type AuthSpec = z.infer<Schemas['AuthSpec']>;
export type RateLimitSpec = z.infer<Schemas['RateLimitSpec']>;

export type ErrorsSpec = z.infer<Schemas['ErrorsSpec']>;
export type ProviderSpec = z.infer<Schemas['ProviderSpec']>;
