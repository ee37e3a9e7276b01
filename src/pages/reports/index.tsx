import { Empty } from '../../components/page-state'
import { TabPage } from '../../components/tab-page'

/** The 报事 tab: a placeholder until its feature lands; it already knows who is signed in. */
export default function ReportsPage() {
  return <TabPage title='报事' className='reports'>{() => <Empty title='报事功能即将上线' hint='以后可以在这里报修、投诉或提建议。' />}</TabPage>
}
