import { useEffect, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import * as v from 'valibot'
import { AcceptTenancyInput, BindUnitInput } from '../../contracts/rosters'
import type { BindResult, CommunityDirectoryEntry, Tenancy } from '../../contracts/rosters'
import { governingBody } from '../../contracts/roles'
import { unitLabel } from '../../contracts/units'
import { AsyncView } from '../../components/async-view'
import { Btn } from '../../components/btn'
import { Chips } from '../../components/chips'
import { Field, TextField } from '../../components/field'
import { Page } from '../../components/page'
import { ErrorNote } from '../../components/page-state'
import { useAsync } from '../../hooks/use-async'
import { useSubmit } from '../../hooks/use-submit'
import { request } from '../../services/request'
import { useSessionStore } from '../../stores/session'
import { switchTo } from '../../routes'
import { VerifyPhone } from './verify-phone'
import './index.scss'

type Mode = 'owner' | 'tenant'
type Proof = 'phone' | 'idLast4'

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues[0]?.message ?? '请检查填写的内容'
}

/**
 * Binding a unit. An owner finds the 小区, taps building → stair → room and gives the owner's
 * name; a phone WeChat verifies that the roster gives the owner binds at once. A typed phone (or
 * the last 4 ID digits) never binds by itself: the request waits for the 小区's 业委会 (物管会,
 * 社区代管), marked 与名册一致 when it matches. A tenant enters the owner's invitation code.
 */
export default function BindPage() {
  const router = useRouter()
  const [mode, setMode] = useState<Mode>(router.params?.mode === 'tenant' ? 'tenant' : 'owner')

  return (
    <Page title='绑定房屋' className='bind'>
      <Chips
        className='bind__mode'
        options={[
          { value: 'owner', label: '我是业主' },
          { value: 'tenant', label: '我是租户' },
        ]}
        value={mode}
        onChange={setMode}
      />
      {mode === 'owner' ? <OwnerBinding /> : <TenantJoin />}
    </Page>
  )
}

function OwnerBinding() {
  const [query, setQuery] = useState('')
  const directory = useAsync(() => request('communityDirectory', { query: query.trim() }))
  const [community, setCommunity] = useState<CommunityDirectoryEntry | null>(null)
  const tree = useAsync(() => (community ? request('unitTree', { communityId: community.id }) : Promise.resolve(null)), { auto: false })
  const [building, setBuilding] = useState('')
  const [stair, setStair] = useState('')
  const [room, setRoom] = useState('')
  const [name, setName] = useState('')
  const [proof, setProof] = useState<Proof>('phone')
  const [proofValue, setProofValue] = useState('')
  const [result, setResult] = useState<BindResult | null>(null)
  const submit = useSubmit([name, proof, proofValue, room])
  const body = governingBody(community?.governance)
  useEffect(() => {
    if (community) void tree.reload({ fresh: true })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload() is stable and reads the latest loader; the unit tree is read again only when another 小区 is chosen
  }, [community?.id])

  function chooseCommunity(c: CommunityDirectoryEntry | null) {
    setCommunity(c)
    setBuilding('')
    setStair('')
    setRoom('')
  }

  function resetAll() {
    chooseCommunity(null)
    setName('')
    setProofValue('')
    submit.clear()
    setResult(null)
  }

  async function send(phoneCode?: string) {
    if (!community) return
    const proofPart = phoneCode ? { phoneCode } : proof === 'phone' ? { phone: proofValue } : { idLast4: proofValue }
    const raw = { communityId: community.id, building, stair, room, name, ...proofPart }
    const parsed = v.safeParse(BindUnitInput, raw)
    if (!parsed.success) return submit.fail(firstIssue(parsed.issues))
    const r = await submit.run(() => request('bindUnit', parsed.output))
    if (!r) return
    setResult(r)
    // My units and requests have changed; the 我的 tab shows them next.
    void useSessionStore.getState().refresh()
  }

  if (result) {
    const approved = result.status === 'approved'
    return (
      <View className={`card bind__result ${approved ? 'bind__result--ok' : 'bind__result--wait'}`}>
        <Text className='bind__result-title'>{approved ? '绑定成功' : `已提交，等待${body}审核`}</Text>
        <Text className='bind__result-unit'>
          {community?.name} {unitLabel(building, stair, room)}
        </Text>
        <Text className='bind__result-message'>{result.message}</Text>
        <Btn className='gz-btn gz-btn--primary' onClick={() => switchTo('mine')}>
          查看我的房屋
        </Btn>
        <Btn className='gz-btn' onClick={resetAll}>
          再绑定一套
        </Btn>
      </View>
    )
  }

  const stairs = tree.data?.buildings.find((b) => b.name === building)?.stairs ?? []
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
            <Btn className='gz-btn gz-btn--small' onClick={() => chooseCommunity(null)}>
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
            <AsyncView
              status={directory.status}
              error={directory.error}
              code={directory.code}
              onRetry={() => void directory.reload()}
              loadingText='正在查找小区…'
              empty={(directory.data ?? []).length === 0}
              emptyTitle='没有找到小区'
              emptyHint='换个名字试试，只输入其中两三个字也可以。'
            >
              {(directory.data ?? []).map((c) => (
                <View
                  key={c.id}
                  className='bind__community'
                  hoverClass='bind__community--hover'
                  onClick={() => chooseCommunity(c)}
                >
                  <Text className='bind__community-name'>{c.name}</Text>
                  <Text className='line muted'>{c.officeName}</Text>
                </View>
              ))}
            </AsyncView>
          </View>
        )}
      </View>

      {community ? (
        <View className='card'>
          <Text className='card-title'>第二步：选择房屋</Text>
          <AsyncView
            status={tree.status}
            error={tree.error}
            code={tree.code}
            onRetry={() => void tree.reload()}
            loadingText='正在读取楼栋…'
            empty={tree.data?.buildings.length === 0}
            emptyTitle='这个小区还没有导入名册'
            emptyHint={body === '社区代管' ? '请联系社区先导入业主名册。' : `请联系${body}或社区先导入业主名册。`}
          >
            <Field label='楼栋'>
              <Chips
                options={(tree.data?.buildings ?? []).map((b) => b.name)}
                value={building}
                onChange={(b) => {
                  const chosen = tree.data?.buildings.find((x) => x.name === b)
                  setBuilding(b)
                  setStair(chosen?.stairs.length === 1 ? chosen.stairs[0].name : '')
                  setRoom('')
                }}
              />
            </Field>
            {building ? (
              <Field label='单元' className='bind__step'>
                <Chips
                  options={stairs.map((s) => s.name)}
                  value={stair}
                  onChange={(s) => {
                    setStair(s)
                    setRoom('')
                  }}
                />
              </Field>
            ) : null}
            {stair ? (
              <Field label='房号' className='bind__step'>
                <Chips options={rooms} value={room} onChange={setRoom} />
              </Field>
            ) : null}
            {room ? <Text className='bind__chosen bind__chosen-unit'>已选：{unitLabel(building, stair, room)}</Text> : null}
          </AsyncView>
        </View>
      ) : null}

      {community && room ? (
        <View className='card'>
          <Text className='card-title'>第三步：核对业主信息</Text>
          <TextField label='业主姓名（房产证上的名字）' placeholder='例如：张三' value={name} maxlength={40} onChange={setName} />
          <VerifyPhone disabled={submit.busy || !name.trim()} onCode={(code) => void send(code)} onRefused={(m) => submit.fail(m)} />
          <Field label='或者手动填写一项核对'>
            <Chips<Proof>
              options={[
                { value: 'phone', label: '手机号' },
                { value: 'idLast4', label: '身份证后四位' },
              ]}
              value={proof}
              onChange={(p) => {
                setProof(p)
                setProofValue('')
              }}
            />
          </Field>
          <TextField
            label={proof === 'phone' ? '业主手机号' : '业主身份证号码后四位'}
            type={proof === 'phone' ? 'number' : 'idcard'}
            maxlength={proof === 'phone' ? 13 : 4}
            placeholder={proof === 'phone' ? '11 位手机号' : '例如：123X'}
            value={proofValue}
            onChange={setProofValue}
            hint={`手动填写的申请交给${body}确认后绑定（与名册一致的，${body}点一下就能通过）。想立即绑定，请用上面的“微信验证手机号”。`}
          />
          <ErrorNote message={submit.error} />
          <Btn className='gz-btn gz-btn--primary' loading={submit.busy} disabled={submit.busy} onClick={() => void send()}>
            提交绑定
          </Btn>
          <Text className='line muted'>提交后由{body}确认，结果会显示在“我的”页面。</Text>
        </View>
      ) : null}
    </View>
  )
}

function TenantJoin() {
  const [code, setCode] = useState('')
  const [done, setDone] = useState<Tenancy | null>(null)
  const submit = useSubmit([code])
  const joinedName = useSessionStore((s) => s.me?.communities.find((c) => c.id === done?.communityId)?.name)

  async function send() {
    const parsed = v.safeParse(AcceptTenancyInput, { code })
    if (!parsed.success) return submit.fail(firstIssue(parsed.issues))
    const tenancy = await submit.run(() => request('acceptTenancy', parsed.output))
    if (!tenancy) return
    setDone(tenancy)
    // My 小区 and units have changed; the tabs then show the 小区 just joined.
    const me = await useSessionStore.getState().refresh()
    if (me?.communities.some((c) => c.id === tenancy.communityId)) useSessionStore.getState().setCommunity(tenancy.communityId)
  }

  if (done) {
    return (
      <View className='card bind__result bind__result--ok'>
        <Text className='bind__result-title'>已加入</Text>
        <Text className='bind__result-unit'>{joinedName ? `${joinedName} ${done.unitLabel}` : done.unitLabel}</Text>
        <Text className='bind__result-message'>您已作为租户加入，可以查看公告、报事。</Text>
        <Btn className='gz-btn gz-btn--primary' onClick={() => switchTo('mine')}>
          查看我的房屋
        </Btn>
      </View>
    )
  }

  return (
    <View className='card'>
      <Text className='card-title'>填写邀请码</Text>
      <Text className='line muted'>请向房东（业主）要 8 位邀请码。业主可以在“我的 → 邀请租户”里生成。</Text>
      <TextField label='邀请码' className='bind__code-field' inputClassName='bind__code' placeholder='8 位邀请码' maxlength={8} value={code} onChange={setCode} />
      <ErrorNote message={submit.error} />
      <Btn className='gz-btn gz-btn--primary' loading={submit.busy} disabled={submit.busy} onClick={() => void send()}>
        确认加入
      </Btn>
    </View>
  )
}
