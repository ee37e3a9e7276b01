import { useEffect, useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import type { ReportSummary } from '../../contracts/reports'
import { REPORT_HANDLER_ROLES, REPORT_SETTINGS_ROLES, hasAnyRole, isCommitteeMember, isOfficer, isResident } from '../../contracts/roles'
import { AsyncView } from '../../components/async-view'
import { Btn } from '../../components/btn'
import { Empty } from '../../components/page-state'
import { TabPage } from '../../components/tab-page'
import { useCurrentCommunity } from '../../hooks/use-current-community'
import { useCursorList } from '../../hooks/use-cursor-list'
import { request } from '../../services/request'
import { go } from '../../routes'
import { loadDraft } from '../../utils/report-draft'
import { REPORT_STATUS_BADGE, reportWhere } from '../../utils/reports'
import './index.scss'

/**
 * The 报事 tab. Residents file a report (category first; an unsent one is kept as a draft), follow
 * their own reports with their status, and find 联系我们; the property staff, the committee and
 * the community office go to their inbox, officers to the feedback inbox and the dashboard.
 */
export default function ReportsPage() {
  const { community, communityId } = useCurrentCommunity()
  const roles = community?.roles ?? []
  const resident = isResident(roles)
  const [hasDraft, setHasDraft] = useState(false)
  const mine = useCursorList<ReportSummary>((cursor) => request('myReports', { communityId: communityId as string, cursor: cursor ?? undefined }), {
    enabled: !!communityId && resident,
    keepShown: true,
  })

  useEffect(() => {
    setHasDraft(!!communityId && !!loadDraft(communityId, Date.now()))
    if (communityId && resident) void mine.loadFirst()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loadFirst reads the latest 小区; read again when it or the role changes
  }, [communityId, resident])
  // Back from filing or confirming: the list and the draft may have changed (the first show is the load above).
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current && communityId) {
      setHasDraft(!!loadDraft(communityId, Date.now()))
      if (resident) void mine.loadFirst()
    }
    shown.current = true
  })

  return (
    <TabPage title='报事' className='reports'>
      {({ community: here }) => {
        if (!here) return null
        const handler = hasAnyRole(here.roles, REPORT_HANDLER_ROLES)
        const officer = isOfficer(here.roles)
        const contact = (
          <Btn className='gz-btn reports__contact' onClick={() => go('reportContact', { communityId: here.id })}>
            联系我们
          </Btn>
        )
        return (
          <>
            {handler ? (
              <Btn className='gz-btn gz-btn--primary reports__inbox' onClick={() => go('reportInbox', { communityId: here.id })}>
                报事处理
              </Btn>
            ) : null}
            {officer ? (
              <Btn className='gz-btn reports__feedback' onClick={() => go('reportFeedback')}>
                辖区反馈收件箱
              </Btn>
            ) : null}
            {officer || isCommitteeMember(here.roles) ? (
              <Btn className='gz-btn reports__dashboard' onClick={() => go('reportDashboard', { communityId: here.id })}>
                报事统计
              </Btn>
            ) : null}
            {hasAnyRole(here.roles, REPORT_SETTINGS_ROLES) ? (
              <Btn className='gz-btn reports__settings' onClick={() => go('reportSettings', { communityId: here.id })}>
                报事设置（公共区域、公开电话、时限）
              </Btn>
            ) : null}
            {here.roles.includes('district_officer') ? (
              <Btn className='gz-btn reports__holidays' onClick={() => go('reportHolidays')}>
                节假日设置（全区）
              </Btn>
            ) : null}
            {!isResident(here.roles) ? (
              <>
                {!handler && !officer ? <Empty title='报事由本小区住户提交' hint='绑定房屋后可以在这里报修、投诉或提建议。' /> : null}
                {contact}
              </>
            ) : (
              <>
                <Btn className='gz-btn gz-btn--primary reports__new' onClick={() => go('reportNew', { communityId: here.id })}>
                  {hasDraft ? '继续填写未提交的报事' : '我要报事'}
                </Btn>
                <Text className='line muted reports__hint'>报修、投诉、建议都可以在这里提交，可以附照片。</Text>
                {contact}
                <Text className='card-title reports__mine-title'>我的报事</Text>
                <AsyncView
                  status={mine.state}
                  error={mine.error}
                  code={mine.code}
                  onRetry={() => void mine.loadFirst()}
                  away={null}
                  empty={mine.items.length === 0}
                  emptyTitle='您还没有提交过报事'
                  emptyHint='点上面的“我要报事”，选择类别、写明问题，物业或业委会会尽快处理。'
                >
                  {mine.items.map((r) => (
                    <View key={r.id} className='card reports__card' onClick={() => go('reportDetail', { communityId: r.communityId, reportId: r.id })}>
                      <View className='row'>
                        <Text className={`badge ${REPORT_STATUS_BADGE[r.status]}`}>{r.statusLabel}</Text>
                        <Text className='muted'>{r.categoryLabel}</Text>
                      </View>
                      <Text className='reports__excerpt'>{r.excerpt}</Text>
                      <Text className='line muted'>{reportWhere(r)}</Text>
                      <Text className='reports__cta'>{r.status === 'resolved' ? '已办结，请确认 ›' : '查看进度 ›'}</Text>
                    </View>
                  ))}
                  {mine.state === 'more' ? <Text className='line muted'>正在加载更多…</Text> : null}
                </AsyncView>
              </>
            )}
          </>
        )
      }}
    </TabPage>
  )
}
