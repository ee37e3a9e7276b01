import type { UserConfigExport } from '@tarojs/cli'
import { isLocalH5, LOCAL_TARGET } from './h5-local'

/**
 * Production builds (the default for `taro build`): minified; nothing else differs.
 * H5_MINIFIER=esbuild minifies an H5 build's JavaScript with esbuild instead of terser (CSS stays with
 * csso: esbuild's CSS minifier refuses the options Taro passes); the weapp build is unaffected.
 * The local H5 build (H5_BUILD=local, config/h5-local.ts) always uses esbuild, for its own target.
 */
const esbuildH5 = isLocalH5 || (process.env.TARO_ENV === 'h5' && process.env.H5_MINIFIER === 'esbuild')

export default {
  mini: {},
  h5: {},
  ...(esbuildH5 ? { jsMinimizer: 'esbuild', esbuild: { minify: { enable: true, config: { target: isLocalH5 ? LOCAL_TARGET : 'es2015' } } } } : {}),
} satisfies UserConfigExport<'webpack5'>
