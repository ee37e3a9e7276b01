import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'
import { h5WebpackChain } from './h5-local'

/**
 * Taro build configuration, one file for both targets.
 * - weapp → dist/ (WeChat DevTools opens it through project.config.json), h5 → dist-h5/
 *   (served by the Node server at /). Separate folders, or the builds overwrite each other.
 * - The transport is fixed at build time: `cloud` calls the `api` cloud function, `http`
 *   POSTs to `${API_BASE_URL}/api/<action>`. Defaults: cloud for weapp, http for h5.
 *   Override with TRANSPORT=cloud|http, API_BASE_URL=https://… and CLOUD_ENV=<env id>.
 */
export default defineConfig<'webpack5'>(async (merge) => {
  const taroEnv = process.env.TARO_ENV ?? 'weapp'
  const isH5 = taroEnv === 'h5'
  const transport = process.env.TRANSPORT ?? (isH5 ? 'http' : 'cloud')
  if (transport !== 'cloud' && transport !== 'http') {
    throw new Error(`TRANSPORT 只能是 cloud 或 http，收到：${transport}`)
  }
  // H5 is served by the same server that answers /api, so the default base is the page's origin.
  const apiBaseUrl = (process.env.API_BASE_URL ?? '').replace(/\/+$/, '')
  if (!isH5 && transport === 'http' && !/^https?:\/\//.test(apiBaseUrl)) {
    throw new Error('小程序使用 http 传输时必须设置 API_BASE_URL（例如 https://api.example.com）')
  }

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'gongzhi',
    date: '2025-11-26',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // OUTPUT_ROOT lets parallel builds (CI jobs, several engineers) write to folders of their own.
    outputRoot: process.env.OUTPUT_ROOT ?? (isH5 ? 'dist-h5' : 'dist'),
    plugins: [],
    defineConstants: {
      TARO_APP_TRANSPORT: JSON.stringify(transport),
      TARO_APP_API_BASE_URL: JSON.stringify(apiBaseUrl),
      TARO_APP_CLOUD_ENV: JSON.stringify(process.env.CLOUD_ENV ?? ''),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      webpackChain: h5WebpackChain,
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  }

  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig)
  return merge({}, baseConfig, prodConfig)
})
