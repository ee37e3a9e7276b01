export default definePageConfig({
  navigationBarTitleText: '邀请租户',
  enablePullDownRefresh: true,
})
