export default definePageConfig({
  navigationBarTitleText: '导入银行流水',
  enablePullDownRefresh: true,
})
