/**
 * The mini-program has no Node `process`: Taro replaces `process.env.*` at build time (TARO_ENV,
 * see global.d.ts). Declared for the client project only (tsconfig.client.json), which has no Node types.
 */
declare const process: { env: NodeJS.ProcessEnv }
