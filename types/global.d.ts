/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'

/** Set by config/index.ts (defineConstants) at build time. */
declare const TARO_APP_TRANSPORT: 'cloud' | 'http'
/** Base URL of the HTTP API without a trailing slash; '' means the page's own origin (H5). */
declare const TARO_APP_API_BASE_URL: string
/** WeChat cloud environment id; '' means the DevTools' default environment. */
declare const TARO_APP_CLOUD_ENV: string

declare namespace NodeJS {
  interface ProcessEnv {
    [name: string]: string | undefined
    TARO_ENV?: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn'
  }
}
