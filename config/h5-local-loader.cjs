/**
 * The script loader of the local H5 build (`npm start`, see config/h5-local.ts), in place of
 * babel-loader with babel-preset-taro, which spent most of the build downlevelling every file
 * to ES5 for Android 4.1 and iOS 8.
 * - Our sources (TypeScript, JSX): esbuild strips the types and compiles JSX (React's automatic
 *   runtime, as babel-preset-taro does) for a current browser.
 * - Every file that imports '@tarojs/taro' (ours and Taro's own packages) then goes through babel
 *   with only Taro's API transform (babel-plugin-transform-taroapi): on H5, `Taro.showToast` and
 *   most other APIs exist only as named exports, so the transform is what makes them work.
 * - Anything else (most of Taro's packages) is already modern JavaScript and passes unchanged.
 * Plain CommonJS: webpack requires loaders itself, outside the TypeScript hook Taro sets up for config/.
 */
const { transformAsync } = require('@babel/core')
const { transform } = require('esbuild')

const TS_OR_JSX = /\.(tsx?|jsx)$/

/**
 * Options: sourceDir (its files are TypeScript or JSX), taroApiPlugin (the transform as Taro's
 * H5 platform plugin configures it for babel-loader), target (esbuild's, such as 'es2020').
 */
module.exports = function h5LocalLoader(source) {
  const done = this.async()
  const { sourceDir, taroApiPlugin, target } = this.getOptions()
  const file = this.resourcePath
  compile(source, file, file.startsWith(sourceDir), taroApiPlugin, target).then((code) => done(null, code), done)
}

async function compile(source, file, ours, taroApiPlugin, target) {
  let code = source
  if (ours && TS_OR_JSX.test(file)) {
    const loader = file.endsWith('.tsx') ? 'tsx' : file.endsWith('.jsx') ? 'jsx' : 'ts'
    // useDefineForClassFields false: a typed field without a value is dropped, as babel's TypeScript preset does.
    const out = await transform(code, { loader, sourcefile: file, target, jsx: 'automatic', tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } } })
    code = out.code
  }
  if (!code.includes('@tarojs/taro')) return code
  const out = await transformAsync(code, { filename: file, configFile: false, babelrc: false, sourceType: 'unambiguous', compact: false, plugins: [taroApiPlugin] })
  return out?.code ?? code
}
