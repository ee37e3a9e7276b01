export default definePageConfig({
  navigationBarTitleText: '绑定审核',
  enablePullDownRefresh: true,
})
