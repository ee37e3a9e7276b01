import type { PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'
import './app.scss'

/** The app shell: sets up the cloud SDK when the build uses the cloud transport. */
function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp' && TARO_APP_TRANSPORT === 'cloud') {
      // An empty env id means the environment chosen in WeChat DevTools.
      Taro.cloud.init(TARO_APP_CLOUD_ENV ? { env: TARO_APP_CLOUD_ENV, traceUser: true } : { traceUser: true })
    }
  })
  // children is the page being shown.
  return children
}

export default App
