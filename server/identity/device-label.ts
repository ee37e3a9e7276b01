/**
 * A short label of what a session was opened from ("微信小程序 · iPhone", "Chrome · Windows"),
 * read from the User-Agent. Only the label is stored, never the raw string: it is all a person
 * needs to recognise their device, and less to keep.
 */
export function deviceLabel(userAgent: string | null | undefined): string {
  const ua = userAgent ?? ''
  if (!ua) return '未知设备'
  const os = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /HarmonyOS|OpenHarmony/i.test(ua)
        ? '鸿蒙'
        : /Android/.test(ua)
          ? '安卓手机'
          : /Windows/.test(ua)
            ? 'Windows 电脑'
            : /Mac OS X|Macintosh/.test(ua)
              ? 'Mac 电脑'
              : /Linux/.test(ua)
                ? 'Linux 电脑'
                : null
  const app = /miniProgram/i.test(ua)
    ? '微信小程序'
    : /MicroMessenger/.test(ua)
      ? '微信'
      : /Edg\//.test(ua)
        ? 'Edge 浏览器'
        : /Firefox\//.test(ua)
          ? 'Firefox 浏览器'
          : /Chrome\/|Chromium\//.test(ua)
            ? 'Chrome 浏览器'
            : /Safari\//.test(ua)
              ? 'Safari 浏览器'
              : null
  const label = [app, os].filter(Boolean).join(' · ')
  return label || '其他设备'
}
