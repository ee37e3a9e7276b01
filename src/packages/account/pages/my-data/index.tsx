import { Text, View } from '@tarojs/components'
import { useState, type ReactNode } from 'react'
import { DELETE_ACCOUNT_WORDS, type MyData } from '../../../../contracts/privacy'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { TextField } from '../../../../components/field'
import { Page } from '../../../../components/page'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSubmit } from '../../../../hooks/use-submit'
import { go, relaunch } from '../../../../routes'
import { request } from '../../../../services/request'
import { clearToken, markSignedOut } from '../../../../services/token'
import { formatDateTime } from '../../../../utils/time'
import { toastSuccess } from '../../../../utils/ui'
import { exportMyData } from './export'
import './index.scss'

/** 我的 → 个人信息 (PIPL arts. 45, 47): everything stored about me, its export, and deleting my account. */
export default function MyDataPage() {
  const data = useAsync(() => request('myData'))
  const exporting = useSubmit()

  async function doExport(d: MyData) {
    const how = await exporting.run(() => exportMyData(d))
    if (how) toastSuccess(how === 'copied' ? '已复制，可粘贴保存' : '已下载')
  }

  return (
    <Page title='个人信息' subtitle='我们保存的关于您的全部信息' className='my-data'>
      <AsyncView status={data.status} error={data.error} code={data.code} onRetry={() => void data.reload()}>
        {() => {
          const d = data.data!
          return (
            <>
              <Section title='账号'>
                <Line strong={d.account.nickname} text={`注册于 ${formatDateTime(d.account.createdAt)}`} />
                {d.roles.map((r) => <Line key={`${r.role}-${r.place}`} strong={`${r.place} · ${r.role}`} text={`自 ${formatDateTime(r.since)}`} />)}
              </Section>
              <Section title='名册上的我' empty='名册上没有与您账号相连的记录。'>
                {d.rosterEntries.map((p, i) => <Line key={i} strong={`${p.communityName} · ${p.name}`} text={`手机号 ${p.phone ?? '无'} · ${p.units.join('、')}`} />)}
              </Section>
              <Section title='绑定申请' empty='没有绑定申请。'>
                {d.bindings.map((b, i) => <Line key={i} strong={`${b.unitLabel} · ${b.status}`} text={`填写的姓名 ${b.claimedName}，手机号 ${b.claimedPhone ?? '未填'}；${formatDateTime(b.createdAt)} 提交`} />)}
              </Section>
              <Section title='租住关系' empty='没有租住关系。'>
                {d.tenancies.map((t, i) => <Line key={i} strong={`${t.unitLabel} · ${t.status}`} text={t.relation === 'tenant' ? '我是租户' : '我邀请的租户'} />)}
              </Section>
              <Section title='报事' empty='没有报事。'>
                {d.reports.map((r, i) => <Line key={i} strong={`${r.category} · ${r.status}${r.anonymous ? ' · 匿名' : ''}`} text={r.description} />)}
              </Section>
              <Section title='表决回执' empty='没有投过票。'>
                {d.ballots.map((b, i) => <Line key={i} strong={b.voteTitle} text={`回执码 ${b.receiptCode}`} />)}
              </Section>
              <Section title='隐私保护指引的同意记录' empty='还没有同意记录。'>
                {d.consents.map((c) => <Line key={c.version} strong={`版本 ${c.version}`} text={`${formatDateTime(c.acceptedAt)} 同意`} />)}
              </Section>
              <Section title='登录设备' empty='没有登录设备记录（微信云登录不需要）。'>
                {d.sessions.map((s) => <Line key={s.id} strong={`${s.device}${s.current ? '（本机）' : ''}`} text={`登录于 ${formatDateTime(s.createdAt)}`} />)}
                <Btn className='gz-btn' onClick={() => go('devices')}>
                  管理登录设备
                </Btn>
              </Section>
              <View className='card'>
                <Btn className='gz-btn gz-btn--primary' loading={exporting.busy} disabled={exporting.busy} onClick={() => void doExport(d)}>
                  导出全部信息
                </Btn>
                <ErrorNote message={exporting.error} />
              </View>
              <DeleteAccount />
            </>
          )
        }}
      </AsyncView>
    </Page>
  )
}

function Section({ title, empty, children }: { title: string; empty?: string; children?: ReactNode }) {
  const none = Array.isArray(children) && children.flat().filter(Boolean).length === 0
  return (
    <View className='card'>
      <Text className='card-title'>{title}</Text>
      {none && empty ? <Text className='line muted'>{empty}</Text> : children}
    </View>
  )
}

function Line({ strong, text }: { strong: string; text: string }) {
  return (
    <View className='my-data__row'>
      <Text className='my-data__strong'>{strong}</Text>
      <Text className='line muted'>{text}</Text>
    </View>
  )
}

/** Deleting the account: typed words, a last question, then back to the login page. */
function DeleteAccount() {
  const [words, setWords] = useState('')
  const submit = useSubmit([words])

  async function remove() {
    if (words.trim() !== DELETE_ACCOUNT_WORDS) return submit.fail(`请输入“${DELETE_ACCOUNT_WORDS}”确认`, 'words')
    const done = await submit.run(() => request('deleteMyAccount', { confirm: words }), {
      confirm: { title: '注销账号', content: '注销后所有登录退出，房屋绑定和租住关系删除，不能恢复。已投的表决票依法保留。确定注销？', confirmText: '注销', danger: true },
    })
    if (!done) return
    clearToken()
    markSignedOut()
    await relaunch('login')
  }

  return (
    <View className='card my-data__danger'>
      <Text className='card-title'>注销账号</Text>
      <Text className='line'>注销后：所有登录退出；房屋绑定、租住关系和身份删除；您的姓名和手机号从名册以外的所有地方删除。</Text>
      <Text className='line'>保留：已投的表决票（依法至少一年，只与名册上的投票人相连）；业委会（物管会）保管的业主名册。</Text>
      <TextField label={`输入“${DELETE_ACCOUNT_WORDS}”确认`} value={words} onChange={setWords} maxlength={8} error={submit.errorOf('words')} />
      <Btn className='gz-btn gz-btn--danger' loading={submit.busy} disabled={submit.busy} onClick={() => void remove()}>
        注销账号
      </Btn>
      {submit.field ? null : <ErrorNote message={submit.error} />}
    </View>
  )
}
