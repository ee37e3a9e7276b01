import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { Jurisdiction } from '../../../../contracts/communities'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { Page } from '../../../../components/page'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { usePullRefresh } from '../../../../hooks/use-pull-refresh'
import { useSession } from '../../../../hooks/use-session'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { saveExport } from '../../../../services/vote-files'
import { Money } from '../../fund-ui'

const placeOf = (j: Jurisdiction) => (j.level === 'office' ? { officeId: j.id } : j.level === 'street' ? { streetId: j.id } : { districtId: j.id })

/** Community and street officers: each old community's collection (required, deposited, matched), exportable to .xlsx. */
export default function FundOfficerPage() {
  useSession()
  const posts = useAsync(() => request('myJurisdictions'))
  const [postId, setPostId] = useState('')
  const post = posts.data?.find((p) => p.id === postId) ?? posts.data?.[0]
  const list = useAsync(() => (post ? request('fundCollection', { ...placeOf(post), limit: 100 }) : Promise.resolve({ items: [], nextCursor: null })), { auto: false })
  const exporting = useSubmit()
  usePullRefresh(() => Promise.all([posts.reload(), list.reload()]))
  useEffect(() => {
    if (post) void list.reload({ fresh: true })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload() is stable and reads the latest loader; the list is read again only when the post changes
  }, [post?.id])

  return (
    <Page title='老旧小区维修资金归集' className='fund-officer'>
      <AsyncView status={posts.status} error={posts.error} code={posts.code} onRetry={() => void posts.reload()} empty={!!posts.data && posts.data.length === 0} emptyTitle='您没有社区或街道的职务'>
        {() => (
          <>
            {(posts.data?.length ?? 0) > 1 ? <Chips options={(posts.data ?? []).map((p) => ({ value: p.id, label: p.name }))} value={post?.id ?? ''} onChange={setPostId} /> : null}
            <AsyncView status={list.status} error={list.error} code={list.code} onRetry={() => void list.reload()} empty={!!list.data && list.data.items.length === 0} emptyTitle='没有老旧小区'>
              {() => (
                <>
                  {list.data?.items.map((c) => (
                    <View key={c.communityId} className='card'>
                      <Text className='card-title'>{c.name}</Text>
                      <Text className='line muted'>{c.officeName}</Text>
                      <Money label='应交' fen={c.requiredFen} />
                      <Money label='已交存' fen={c.depositedFen} />
                      <Money label='区财政配套' fen={c.matchedFen} strong />
                    </View>
                  ))}
                </>
              )}
            </AsyncView>
            <ErrorNote message={exporting.error} />
            {post ? (
              <Btn className='gz-btn' loading={exporting.busy} disabled={exporting.busy} onClick={() => void exporting.run(async () => saveExport(await request('exportFundCollection', placeOf(post))), { success: '已导出' })}>
                导出 Excel
              </Btn>
            ) : null}
          </>
        )}
      </AsyncView>
    </Page>
  )
}
