import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { BankStatementResult } from '../../../../contracts/fees'
import { formatFen } from '../../../../contracts/money'
import { Btn } from '../../../../components/btn'
import { ErrorNote } from '../../../../components/page-state'
import { useSubmit } from '../../../../hooks/use-submit'
import { ApiError } from '../../../../services/errors'
import { MAX_FILE_BYTES, pickFromChat, pickInBrowser, type PickedFile } from '../../../../services/pick-file'
import { requestWithFile } from '../../../../services/upload'
import { FeePage, useFeeSetup } from '../../fee-page'

function checkXlsx(name: string, size: number): void {
  if (!/\.xlsx$/i.test(name)) throw new ApiError('UnsupportedFile', '请选择银行导出的 .xlsx 流水文件')
  if (size > MAX_FILE_BYTES) throw new ApiError('PayloadTooLarge', '文件超过 5 MB，请检查是否选错了文件')
}

function pickStatement(): Promise<PickedFile | null> {
  if (process.env.TARO_ENV === 'h5') return pickInBrowser('.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'bank-file-input', checkXlsx)
  return pickFromChat(['xlsx'], '无法打开文件，请从微信聊天中选择银行流水文件', checkXlsx)
}

/**
 * Bank-statement import: an .xlsx whose rows are matched to bills by room and amount. All rows
 * match and are recorded, or nothing is and the rows that did not match are listed.
 */
export default function FeeBankPage() {
  const { communityId, name, setup } = useFeeSetup()
  const [result, setResult] = useState<BankStatementResult | null>(null)
  const submit = useSubmit()

  async function choose() {
    setResult(null)
    let file: PickedFile | null = null
    try {
      file = await pickStatement()
    } catch (err) {
      return submit.fail(err instanceof ApiError ? err.message : '读取文件失败，请重新选择')
    }
    if (!file) return
    const picked = file
    const r = await submit.run(() => requestWithFile('importBankStatement', { communityId, fileName: picked.name }, picked, 'fileBase64'), {
      confirm: { title: '导入银行流水', content: `导入「${picked.name}」：每一行都能对上账单时才全部入账，并出具收据号；入账后不能撤销。确定导入吗？`, confirmText: '导入' },
    })
    if (r) setResult(r)
  }

  return (
    <FeePage title='导入银行流水' className='bank' communityId={communityId} name={name} setup={setup}>
      {() => (
        <>
          <View className='card'>
            <Text className='line'>从网银导出 .xlsx 流水，每行要有房号（如 2栋2单元501）和金额。</Text>
            <Text className='line muted'>按房号和金额对应到待缴账单；有一行对不上，就全部不入账，并列出对不上的行。同一份流水导入两次只记一次。</Text>
          </View>
          <ErrorNote message={submit.error} />
          <Btn className='gz-btn gz-btn--primary bank__choose' loading={submit.busy} disabled={submit.busy} onClick={() => void choose()}>
            选择流水文件并导入
          </Btn>
          {result ? <BankResult r={result} /> : null}
        </>
      )}
    </FeePage>
  )
}

function BankResult({ r }: { r: BankStatementResult }) {
  return (
    <>
      <View className={`card bank__result ${r.recorded ? 'bank__result--ok' : 'bank__result--refused'}`}>
        <Text className='card-title'>{r.recorded ? `已入账 ${r.matched.length} 笔` : '没有入账'}</Text>
        <Text className='line'>{r.recorded ? '每一笔都出具了收据号，业主在“缴费”里能看到。' : `有 ${r.unmatched.length} 行对不上账单，整份流水都没有入账。请改正后重新导入。`}</Text>
      </View>
      {r.unmatched.length > 0 ? (
        <View className='card'>
          <Text className='card-title'>对不上的行</Text>
          {r.unmatched.map((u) => (
            <View key={u.row} className='fee-line'>
              <Text className='fee-item'>第 {u.row} 行：{u.reason}</Text>
              <Text className='line muted'>{u.text}</Text>
            </View>
          ))}
        </View>
      ) : null}
      {r.matched.length > 0 ? (
        <View className='card'>
          <Text className='card-title'>{r.recorded ? '入账明细' : '能对上的行'}</Text>
          {r.matched.map((m) => (
            <View key={m.row} className='fee-line'>
              <Text className='fee-item'>
                第 {m.row} 行：{m.unitLabel} {formatFen(m.amountFen)}
              </Text>
              <Text className='line muted'>
                {m.period}
                {m.receiptNo ? ` · 收据号 ${m.receiptNo}` : ''}
              </Text>
            </View>
          ))}
        </View>
      ) : null}
    </>
  )
}
