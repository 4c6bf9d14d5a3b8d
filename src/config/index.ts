// The config file (sessql.config.yaml): lookup, validation and conversion to engine options.
// Invariant: a config file holds settings and names of environment variables, never secrets.
export { CONFIG_FILE_NAME, findConfigFile, loadConfigFile, parseConfig, userConfigDir } from './load.js';
export { configToEngineOptions, mergeUnder, withConfigFile, type ConfigEngineOptions, type FetchSettings } from './engine-options.js';
export type { ConfigFile, ProviderFileSettings } from './schema.js';
