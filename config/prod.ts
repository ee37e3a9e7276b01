import type { UserConfigExport } from '@tarojs/cli'

/** Production builds (the default for `taro build`): minified; nothing else differs. */
export default {
  mini: {},
  h5: {},
} satisfies UserConfigExport<'webpack5'>
