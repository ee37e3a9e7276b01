import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import type { NoticeDetail, NoticeFileInfo, NoticeReadStats } from '../../contracts/notices'
import { AsyncView } from '../../components/async-view'
import { Btn } from '../../components/btn'
import { NoticeView } from '../../components/notice-view'
import { Page } from '../../components/page'
import { ErrorNote, ErrorView } from '../../components/page-state'
import { useAsync } from '../../hooks/use-async'
import { usePullRefresh } from '../../hooks/use-pull-refresh'
import { useSession } from '../../hooks/use-session'
import { useSubmit } from '../../hooks/use-submit'
import { openAttachment } from '../../services/notice-files'
import { messageOf, request } from '../../services/request'
import { useNoticeStore } from '../../stores/notices'
import { formatDateTime } from '../../utils/time'
import { go, redirect, switchTo } from '../../routes'
import './index.scss'

/** A notice that is gone stays gone: the way back to the feed. */
const TO_FEED = { text: '返回公告列表', onClick: () => switchTo('notices') }

/** A share for people, from integers: "37%", or "不到 1%" so one reader in 180 households never reads as none. */
function percent(part: number, whole: number): string {
  const p = whole > 0 ? Math.floor((100 * part) / whole) : 0
  return part > 0 && p === 0 ? '不到 1%' : `${p}%`
}

/**
 * One notice as residents read it (opening it marks it read and updates the tab badge). Its
 * publishers also see how many households have opened it, for a 公示 the buildings that lag,
 * and the actions their rules allow: pin, edit, withdraw, or publish a correction.
 */
export default function NoticeDetailPage() {
  useSession()
  const { params } = useRouter()
  const id = params?.id ?? ''
  const communityId = params?.communityId ?? ''
  const refreshUnread = useNoticeStore((s) => s.refreshUnread)
  const markOpened = useNoticeStore((s) => s.markOpened)

  const notice = useAsync(async () => {
    const n = await request('getNotice', { communityId, noticeId: id })
    markOpened(n.id)
    void refreshUnread(communityId)
    return n
  })
  usePullRefresh(() => notice.reload())

  async function openFile(f: NoticeFileInfo) {
    try {
      await openAttachment(f)
    } catch (err) {
      void Taro.showToast({ title: messageOf(err), icon: 'none' })
    }
  }

  if (!id || !communityId) {
    return (
      <Page>
        <ErrorView message='没有指定公告，请从公告列表进入。' away={TO_FEED} />
      </Page>
    )
  }
  const n = notice.data
  return (
    <Page className='notice-detail'>
      {/* A withdrawn notice stays gone however often one retries: the way back to the feed is offered too. */}
      <AsyncView status={n ? 'ready' : notice.status} error={notice.error} code={notice.code} onRetry={() => void notice.reload()} away={TO_FEED}>
        {() =>
          n ? (
            <>
              {notice.status === 'error' ? <View className='error-note'>{notice.error}（下拉可以重新加载）</View> : null}
              {/* Only publishers can open a notice before its time; the notice itself reads as residents will see it then. */}
              {new Date(n.publishAt).getTime() > Date.now() ? <View className='notice-box'>定时发布：将于 {formatDateTime(n.publishAt)} 发布，住户现在还看不到。</View> : null}
              <NoticeView notice={n} onOpenNotice={(other) => void redirect('noticeDetail', { id: other, communityId })} onOpenAttachment={(f) => void openFile(f)} />
              {n.stats ? <ReadStats stats={n.stats} kind={n.kind} /> : null}
              {n.canManage ? <ManagePanel notice={n} onChanged={() => void notice.reload()} /> : null}
            </>
          ) : null
        }
      </AsyncView>
    </Page>
  )
}

/** How many of the 小区's households have opened the notice; for a 公示, every building, lagging ones first. */
function ReadStats({ stats }: { stats: NoticeReadStats; kind: string }) {
  return (
    <View className='card notice-detail__stats'>
      <Text className='card-title'>阅读情况（仅发布方可见）</Text>
      <Text className='notice-detail__stats-figure'>
        已读 {stats.readHouseholds} / {stats.households} 户（{percent(stats.readHouseholds, stats.households)}）
      </Text>
      <Text className='line muted'>一户中任何一位业主或租户打开过，即算该户已读。</Text>
      {stats.buildings ? (
        <View className='notice-detail__buildings'>
          <Text className='notice-detail__buildings-title'>各楼栋阅读情况</Text>
          {stats.buildings.map((b) => (
            <View key={b.buildingId} className='row notice-detail__building'>
              <Text className='notice-detail__building-name'>{b.name}</Text>
              <Text>
                {b.readHouseholds} / {b.households} 户
              </Text>
              {b.low ? <Text className='badge badge--rejected'>阅读偏少</Text> : <Text className='badge badge--approved'>正常</Text>}
            </View>
          ))}
          {stats.buildings.some((b) => b.low) ? <Text className='line muted'>阅读偏少的楼栋，建议在单元门口张贴纸质公示或请楼栋长转告。</Text> : null}
        </View>
      ) : null}
    </View>
  )
}

/** What the publishing body may do with it, each irreversible step confirmed first. */
function ManagePanel({ notice, onChanged }: { notice: NoticeDetail; onChanged: () => void }) {
  const submit = useSubmit()
  const ref = { communityId: notice.communityId, noticeId: notice.id }

  async function pin() {
    if (await submit.run(async () => (await request('pinNotice', { ...ref, pinned: !notice.pinned }), true), { success: notice.pinned ? '已取消置顶' : '已置顶' })) onChanged()
  }

  async function withdraw() {
    const done = await submit.run(async () => (await request('withdrawNotice', ref), true), {
      confirm: { title: '撤回公告', content: `确定撤回《${notice.title}》吗？撤回后住户将看不到它。`, confirmText: '撤回', danger: true },
      success: '已撤回',
    })
    if (done) await Taro.navigateBack()
  }

  return (
    <View className='card notice-detail__manage'>
      <Text className='card-title'>管理</Text>
      {notice.immutable ? (
        <Text className='line muted'>
          {notice.kind === '公示' || notice.kind === '财务公开' ? `${notice.kind}发布后不能修改或撤回；如有错误，请发布更正，更正会与原${notice.kind}相互链接。` : '系统自动发布的公告不能修改。'}
        </Text>
      ) : null}
      <ErrorNote message={submit.error} />
      <Btn className='gz-btn' disabled={submit.busy} onClick={() => void pin()}>
        {notice.pinned ? '取消置顶' : '置顶（最多 3 条）'}
      </Btn>
      {notice.editable ? (
        <Btn className='gz-btn' disabled={submit.busy} onClick={() => go('noticeCompose', { communityId: notice.communityId, noticeId: notice.id })}>
          修改（保留修改记录）
        </Btn>
      ) : null}
      {notice.immutable && !notice.correctedBy ? (
        <Btn className='gz-btn' disabled={submit.busy} onClick={() => go('noticeCompose', { communityId: notice.communityId, correctsId: notice.id })}>
          发布更正
        </Btn>
      ) : null}
      {notice.editable ? (
        <Btn className='gz-btn gz-btn--danger' disabled={submit.busy} onClick={() => void withdraw()}>
          撤回
        </Btn>
      ) : null}
    </View>
  )
}
