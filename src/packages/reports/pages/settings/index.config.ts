export default definePageConfig({ navigationBarTitleText: '报事设置', enablePullDownRefresh: true })
