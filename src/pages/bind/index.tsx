import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { Btn } from '../../components/btn'
import Taro, { useRouter } from '@tarojs/taro'
import * as v from 'valibot'
import { AcceptTenancyInput, BindUnitInput } from '../../contracts/rosters'
import type { BindResult, CommunityDirectoryEntry, Tenancy, UnitTree } from '../../contracts/rosters'
import { unitLabel } from '../../contracts/units'
import { Empty, ErrorNote, ErrorView, Loading } from '../../components/page-state'
import { useAsync } from '../../hooks/use-async'
import { messageOf, request } from '../../services/request'
import { useSessionStore } from '../../stores/session'
import './index.scss'

type Mode = 'owner' | 'tenant'
type Proof = 'phone' | 'idLast4'

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues[0]?.message ?? '请检查填写的内容'
}

/**
 * Binding a unit. An owner finds the 小区, taps building → stair → room, gives the owner's
 * name and phone (or the last 4 ID digits); the server binds at once on an exact roster match,
 * otherwise the request waits for the committee. A tenant enters the owner's invitation code.
 */
export default function BindPage() {
  const router = useRouter()
  const [mode, setMode] = useState<Mode>(router.params?.mode === 'tenant' ? 'tenant' : 'owner')

  return (
    <View className='page bind'>
      <Text className='page-title'>绑定房屋</Text>
      <View className='chips bind__mode'>
        <View className={`chip ${mode === 'owner' ? 'chip--active' : ''}`} onClick={() => setMode('owner')}>
          我是业主
        </View>
        <View className={`chip ${mode === 'tenant' ? 'chip--active' : ''}`} onClick={() => setMode('tenant')}>
          我是租户
        </View>
      </View>
      {mode === 'owner' ? <OwnerBinding /> : <TenantJoin />}
    </View>
  )
}

function OwnerBinding() {
  const [query, setQuery] = useState('')
  const directory = useAsync(() => request('communityDirectory', { query: query.trim() }))
  const [community, setCommunity] = useState<CommunityDirectoryEntry | null>(null)
  const [tree, setTree] = useState<UnitTree | null>(null)
  const [treeError, setTreeError] = useState<string | null>(null)
  const [building, setBuilding] = useState('')
  const [stair, setStair] = useState('')
  const [room, setRoom] = useState('')
  const [name, setName] = useState('')
  const [proof, setProof] = useState<Proof>('phone')
  const [proofValue, setProofValue] = useState('')
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<BindResult | null>(null)

  async function chooseCommunity(c: CommunityDirectoryEntry) {
    setCommunity(c)
    setTree(null)
    setTreeError(null)
    setBuilding('')
    setStair('')
    setRoom('')
    try {
      setTree(await request('unitTree', { communityId: c.id }))
    } catch (err) {
      setTreeError(messageOf(err))
    }
  }

  function resetAll() {
    setCommunity(null)
    setTree(null)
    setBuilding('')
    setStair('')
    setRoom('')
    setName('')
    setProofValue('')
    setError(null)
    setResult(null)
  }

  async function submit() {
    if (!community) return
    setError(null)
    const raw = {
      communityId: community.id,
      building,
      stair,
      room,
      name,
      ...(proof === 'phone' ? { phone: proofValue } : { idLast4: proofValue }),
    }
    const parsed = v.safeParse(BindUnitInput, raw)
    if (!parsed.success) {
      setError(firstIssue(parsed.issues))
      return
    }
    setSubmitting(true)
    try {
      const r = await request('bindUnit', parsed.output)
      setResult(r)
      // My units and requests have changed; the 我的 tab shows them next.
      void useSessionStore.getState().refresh()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setSubmitting(false)
    }
  }

  if (result) {
    const approved = result.status === 'approved'
    return (
      <View className={`card bind__result ${approved ? 'bind__result--ok' : 'bind__result--wait'}`}>
        <Text className='bind__result-title'>{approved ? '绑定成功' : '已提交，等待业委会审核'}</Text>
        <Text className='bind__result-unit'>
          {community?.name} {unitLabel(building, stair, room)}
        </Text>
        <Text className='bind__result-message'>{result.message}</Text>
        <Btn className='gz-btn gz-btn--primary' onClick={() => void Taro.switchTab({ url: '/pages/mine/index' })}>
          查看我的房屋
        </Btn>
        <Btn className='gz-btn' onClick={resetAll}>
          再绑定一套
        </Btn>
      </View>
    )
  }

  const stairs = tree?.buildings.find((b) => b.name === building)?.stairs ?? []
  const rooms = stairs.find((s) => s.name === stair)?.rooms ?? []

  return (
    <View>
      <View className='card'>
        <Text className='card-title'>第一步：选择小区</Text>
        {community ? (
          <View className='row'>
            <View>
              <Text className='bind__chosen'>{community.name}</Text>
              <Text className='line muted'>{community.officeName}</Text>
            </View>
            <Btn className='gz-btn gz-btn--small' onClick={() => setCommunity(null)}>
              重新选择
            </Btn>
          </View>
        ) : (
          <View>
            <View className='bind__search'>
              <Input
                className='gz-input bind__search-input'
                placeholder='输入小区名称，如：滨江'
                value={query}
                confirmType='search'
                onInput={(e) => setQuery(e.detail.value)}
                onConfirm={() => void directory.reload()}
              />
              <Btn className='gz-btn gz-btn--primary gz-btn--small bind__search-btn' onClick={() => void directory.reload()}>
                搜索
              </Btn>
            </View>
            {directory.status === 'loading' ? (
              <Loading text='正在查找小区…' />
            ) : directory.status === 'error' ? (
              <ErrorView message={directory.error ?? ''} onRetry={() => void directory.reload()} />
            ) : (directory.data ?? []).length === 0 ? (
              <Empty title='没有找到小区' hint='换个名字试试，只输入其中两三个字也可以。' />
            ) : (
              (directory.data ?? []).map((c) => (
                <View key={c.id} className='bind__community' hoverClass='bind__community--hover' onClick={() => void chooseCommunity(c)}>
                  <Text className='bind__community-name'>{c.name}</Text>
                  <Text className='line muted'>{c.officeName}</Text>
                </View>
              ))
            )}
          </View>
        )}
      </View>

      {community ? (
        <View className='card'>
          <Text className='card-title'>第二步：选择房屋</Text>
          {treeError ? (
            <ErrorView message={treeError} onRetry={() => void chooseCommunity(community)} />
          ) : !tree ? (
            <Loading text='正在读取楼栋…' />
          ) : tree.buildings.length === 0 ? (
            <Empty title='这个小区还没有导入名册' hint='请联系业委会或社区先导入业主名册。' />
          ) : (
            <View>
              <Text className='field-label'>楼栋</Text>
              <View className='chips'>
                {tree.buildings.map((b) => (
                  <View
                    key={b.name}
                    className={`chip ${b.name === building ? 'chip--active' : ''}`}
                    onClick={() => {
                      setBuilding(b.name)
                      setStair(b.stairs.length === 1 ? b.stairs[0].name : '')
                      setRoom('')
                    }}
                  >
                    {b.name}
                  </View>
                ))}
              </View>
              {building ? (
                <View>
                  <Text className='field-label bind__step-label'>单元</Text>
                  <View className='chips'>
                    {stairs.map((s) => (
                      <View
                        key={s.name}
                        className={`chip ${s.name === stair ? 'chip--active' : ''}`}
                        onClick={() => {
                          setStair(s.name)
                          setRoom('')
                        }}
                      >
                        {s.name}
                      </View>
                    ))}
                  </View>
                </View>
              ) : null}
              {stair ? (
                <View>
                  <Text className='field-label bind__step-label'>房号</Text>
                  <View className='chips'>
                    {rooms.map((r) => (
                      <View key={r} className={`chip ${r === room ? 'chip--active' : ''}`} onClick={() => setRoom(r)}>
                        {r}
                      </View>
                    ))}
                  </View>
                </View>
              ) : null}
              {room ? <Text className='bind__chosen bind__chosen-unit'>已选：{unitLabel(building, stair, room)}</Text> : null}
            </View>
          )}
        </View>
      ) : null}

      {community && room ? (
        <View className='card'>
          <Text className='card-title'>第三步：核对业主信息</Text>
          <View className='field'>
            <Text className='field-label'>业主姓名（房产证上的名字）</Text>
            <Input className='gz-input' placeholder='例如：张三' value={name} maxlength={40} onInput={(e) => setName(e.detail.value)} />
          </View>
          <View className='field'>
            <Text className='field-label'>用哪一项核对</Text>
            <View className='chips'>
              <View className={`chip ${proof === 'phone' ? 'chip--active' : ''}`} onClick={() => { setProof('phone'); setProofValue('') }}>
                手机号
              </View>
              <View className={`chip ${proof === 'idLast4' ? 'chip--active' : ''}`} onClick={() => { setProof('idLast4'); setProofValue('') }}>
                身份证后四位
              </View>
            </View>
          </View>
          <View className='field'>
            <Text className='field-label'>{proof === 'phone' ? '业主手机号' : '业主身份证号码后四位'}</Text>
            <Input
              className='gz-input'
              type={proof === 'phone' ? 'number' : 'idcard'}
              maxlength={proof === 'phone' ? 13 : 4}
              placeholder={proof === 'phone' ? '11 位手机号' : '例如：123X'}
              value={proofValue}
              onInput={(e) => setProofValue(e.detail.value)}
            />
            <Text className='field-hint'>与业委会名册上的信息一致时立即绑定；不一致时交给业委会审核。</Text>
          </View>
          <ErrorNote message={error} />
          <Btn className='gz-btn gz-btn--primary' loading={submitting} disabled={submitting} onClick={() => void submit()}>
            提交绑定
          </Btn>
        </View>
      ) : null}
    </View>
  )
}

function TenantJoin() {
  const [code, setCode] = useState('')
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<Tenancy | null>(null)
  const joinedName = useSessionStore((s) => s.me?.communities.find((c) => c.id === done?.communityId)?.name)

  async function submit() {
    setError(null)
    const parsed = v.safeParse(AcceptTenancyInput, { code })
    if (!parsed.success) {
      setError(firstIssue(parsed.issues))
      return
    }
    setSubmitting(true)
    try {
      const tenancy = await request('acceptTenancy', parsed.output)
      setDone(tenancy)
      // My 小区 and units have changed; the tabs then show the 小区 just joined.
      const me = await useSessionStore.getState().refresh()
      if (me?.communities.some((c) => c.id === tenancy.communityId)) useSessionStore.getState().setCommunity(tenancy.communityId)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setSubmitting(false)
    }
  }

  if (done) {
    return (
      <View className='card bind__result bind__result--ok'>
        <Text className='bind__result-title'>已加入</Text>
        <Text className='bind__result-unit'>{joinedName ? `${joinedName} ${done.unitLabel}` : done.unitLabel}</Text>
        <Text className='bind__result-message'>您已作为租户加入，可以查看公告、报事。</Text>
        <Btn className='gz-btn gz-btn--primary' onClick={() => void Taro.switchTab({ url: '/pages/mine/index' })}>
          查看我的房屋
        </Btn>
      </View>
    )
  }

  return (
    <View className='card'>
      <Text className='card-title'>填写邀请码</Text>
      <Text className='line muted'>请向房东（业主）要 8 位邀请码。业主可以在“我的 → 邀请租户”里生成。</Text>
      <View className='field bind__code-field'>
        <Input className='gz-input bind__code' placeholder='8 位邀请码' maxlength={8} value={code} onInput={(e) => setCode(e.detail.value)} />
      </View>
      <ErrorNote message={error} />
      <Btn className='gz-btn gz-btn--primary' loading={submitting} disabled={submitting} onClick={() => void submit()}>
        确认加入
      </Btn>
    </View>
  )
}
