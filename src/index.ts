// The library entry: programs use the engine directly.
//   const engine = createEngine();  const { columns, rows } = await engine.query(sql);
export { createEngine, Engine } from './engine/engine.js';
export type { EngineOptions, StatementResult, StatementStats, StreamedResult } from './engine/engine.js';
export { SessqlError } from './errors.js';
export type { ErrorCode } from './errors.js';
export { render, renderTo, outputFormats } from './output/render.js';
export type { OutputFormat, ColumnHint, ResultValue } from './output/render.js';
