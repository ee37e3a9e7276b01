import path from 'node:path'

/**
 * Webpack settings for H5 builds, applied through Taro's `h5.webpackChain` (config/index.ts).
 *
 * Every H5 build: lean stats (LeanStatsPlugin below).
 *
 * The local build (H5_BUILD=local, which `npm start` sets when dist-h5 is missing) is served to a
 * browser on this machine, so it trades what only production needs for build time (about 2.5×
 * less CPU; see README, "Benchmarks"):
 * - scripts go through config/h5-local-loader.cjs (esbuild for TypeScript and JSX, babel only for
 *   Taro's API transform) instead of babel-preset-taro's ES5 output for Android 4.1 and iOS 8;
 * - shared code is split into chunks of its own (`splitChunks.chunks: 'all'`) instead of a copy
 *   in every page that uses it (Taro's production default, `'initial'`: valibot, Taro's components
 *   and our request layer repeated in 40 pages, 12 MB of JavaScript to generate and minify);
 * - esbuild minifies for ES2020 (config/prod.ts).
 * `npm run build:h5` (CI, the e2e tests, the size budget) is unchanged: babel, Taro's chunks, terser.
 */
export const isLocalH5 = process.env.TARO_ENV === 'h5' && process.env.H5_BUILD === 'local'

/** The browsers the local build is for: what esbuild compiles our code down to. */
export const LOCAL_TARGET = 'es2020'

// webpack-chain's types are not among our dependencies; the chain is used through these few calls.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Chain = any

export function h5WebpackChain(chain: Chain): void {
  chain.plugin('leanStats').use(LeanStatsPlugin)
  if (!isLocalH5) return
  chain.optimization.merge({ splitChunks: { chunks: 'all' } })

  const script = chain.module.rule('script')
  // Taro's H5 platform plugin adds its API transform to babel-loader's options; the local loader reuses it.
  const babelOptions = script.use('babelLoader').get('options') ?? {}
  const taroApiPlugin = (babelOptions.plugins ?? []).find((p: any) => Array.isArray(p) && p[1]?.packageName === '@tarojs/taro')
  if (!taroApiPlugin) throw new Error('H5 本地构建：没有找到 Taro 的 API 转换（babel-plugin-transform-taroapi），Taro 的 H5 插件变了？')
  script.uses.delete('babelLoader')
  script
    .use('h5LocalLoader')
    .loader(path.join(__dirname, 'h5-local-loader.cjs'))
    .options({ sourceDir: path.resolve(__dirname, '..', 'src'), taroApiPlugin, target: LOCAL_TARGET })
}

/**
 * Taro prints a build's warnings and errors by asking webpack for its full stats, `toJson({})`
 * (every module with the reasons it was included, every chunk), twice, and reads only the
 * warnings and errors: about 10 s of the H5 build. A stats request that names no option now
 * leaves out the module, chunk and asset lists; warnings and errors are as before. Requests that
 * name their options (Taro's closing summary) are untouched.
 */
class LeanStatsPlugin {
  apply(compiler: any): void {
    compiler.hooks.compilation.tap('LeanStatsPlugin', (compilation: any) => {
      // Before webpack's defaults (stage 0), which fill in whatever is still unset.
      compilation.hooks.statsNormalize.tap({ name: 'LeanStatsPlugin', stage: -100 }, (options: Record<string, unknown>) => {
        if (Object.keys(options).length > 0) return
        Object.assign(options, { modules: false, chunks: false, assets: false, entrypoints: false, chunkGroups: false })
      })
    })
  }
}
