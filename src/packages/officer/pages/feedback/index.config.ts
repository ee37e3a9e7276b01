export default definePageConfig({ navigationBarTitleText: '辖区反馈', enablePullDownRefresh: true })
