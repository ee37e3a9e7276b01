import { fireEvent, render, screen } from '@testing-library/react'
import { __reset, __setRouterParams, showModal } from './mocks/taro'
import { Fail, flush, mockApi } from './api'
import FeesPage from '../../src/pages/fees/index'
import BillPage from '../../src/packages/owner/pages/bill/index'
import { PaymentForm } from '../../src/packages/fees/pages/unit/payment-form'
import type { BillDetail, BillSummary, MyBills } from '../../src/contracts/fees'
import type { Me } from '../../src/contracts/identity'
import { formatFen } from '../../src/contracts/money'
import { setToken } from '../../src/services/token'
import { useSessionStore } from '../../src/stores/session'

const C = 'c-wq'
const bill = (id: string, period: string, periodLabel: string, amountFen: number, paidFen: number, unitLabel = '2栋2单元501室'): BillSummary => ({
  id, period, periodLabel, unitLabel, amountFen, creditedFen: 0, paidFen, owedFen: amountFen - paidFen,
  status: paidFen === 0 ? 'issued' : paidFen < amountFen ? 'partly_paid' : 'paid', statusLabel: paidFen === 0 ? '待缴' : paidFen < amountFen ? '部分已缴' : '已缴清', dueOn: `${period.slice(0, 4)}-03-31`,
})

/** 郭杰华: three units in 文清苑, one of them owing two quarters, with a written 催缴. */
const OWNER: Me = {
  userId: 'u-guo', nickname: '郭杰华',
  communities: [{ id: C, name: '文清苑', isOld: true, governance: 'pmc', roles: ['owner'] }],
  units: [
    { unitId: 'u-501', communityId: C, label: '2栋2单元501室', areaCentiM2: 8956, relation: 'owner' },
    { unitId: 'u-601', communityId: C, label: '2栋2单元601室', areaCentiM2: 8956, relation: 'owner' },
  ],
  bindings: [],
}
const BILLS: MyBills = {
  totalOwedFen: 161_262 + 48_362,
  note: null,
  units: [
    {
      unitId: 'u-501', unitLabel: '2栋2单元501室', owedFen: 161_262 + 48_362,
      unpaid: [bill('b-q1', '2026-Q1', '2026年第1季度', 161_262, 0), bill('b-q2', '2026-Q2', '2026年第2季度', 96_724, 48_362)],
      history: [bill('b-q4', '2025-Q4', '2025年第4季度', 48_362, 48_362)],
      writtenNotices: [{ kind: 'written', kindLabel: '书面催缴通知', note: '请在期限内缴清物业费', deadlineOn: '2026-05-20', createdAt: '2026-05-06T02:00:00.000Z' }],
      sharedWithMe: false,
      tenants: [],
    },
    { unitId: 'u-601', unitLabel: '2栋2单元601室', owedFen: 0, unpaid: [], history: [bill('b-601', '2026-Q1', '2026年第1季度', 48_362, 48_362, '2栋2单元601室')], writtenNotices: [], sharedWithMe: false, tenants: [] },
  ],
}

beforeEach(() => {
  __reset()
  process.env.TARO_ENV = 'h5'
  setToken('tok')
})

function signIn(me: Me) {
  useSessionStore.setState({ token: 'tok', me, communityId: C, status: 'ready', error: null })
}

describe('缴费 tab', () => {
  it('shows the total owed with formatFen, each unit with its unpaid bills before its paid history, and the written notice with its deadline', async () => {
    const calls = mockApi({ me: () => OWNER, myBills: () => BILLS })
    signIn(OWNER)
    const { container } = render(<FeesPage />)
    expect(await screen.findByText('¥2,096.24')).toBeTruthy()
    expect(formatFen(BILLS.totalOwedFen)).toBe('¥2,096.24')
    expect(calls.filter((c) => c.action === 'myBills').map((c) => c.input)).toEqual([{ communityId: C }])
    // Unpaid first (oldest first), then the history; the partly paid bill says what is left.
    const periods = Array.from(container.querySelectorAll('.fees__unit-card')[0].querySelectorAll('.fee-bill__period'))
    expect(periods.map((e) => e.textContent)).toEqual(['2026年第1季度', '2026年第2季度', '2025年第4季度'])
    expect(screen.getByText('待缴 ¥1,612.62')).toBeTruthy()
    expect(screen.getByText('待缴 ¥483.62')).toBeTruthy()
    expect(screen.getByText('账单 ¥967.24，已缴 ¥483.62')).toBeTruthy()
    expect(screen.getByText('请在 2026-05-20 前缴清')).toBeTruthy()
    // The second unit is paid up.
    expect(screen.getByText('2栋2单元601室')).toBeTruthy()
    expect(screen.getAllByText('已缴清').length).toBeGreaterThan(0)
  })

  it('tells a tenant whose owner shares nothing that bills are the owner\'s, with the server\'s note', async () => {
    const tenant: Me = { ...OWNER, communities: [{ id: C, name: '文清苑', isOld: true, governance: 'pmc', roles: ['tenant'] }], units: [{ ...OWNER.units[0], relation: 'tenant' }] }
    const calls = mockApi({ me: () => tenant, myBills: () => ({ totalOwedFen: 0, units: [], note: '业主还没有与您共享账单。账单只向业主显示；如需查看，请联系业主' }) })
    signIn(tenant)
    render(<FeesPage />)
    expect(await screen.findByText('缴费信息只对业主开放')).toBeTruthy()
    expect(screen.getByText('业主还没有与您共享账单。账单只向业主显示；如需查看，请联系业主')).toBeTruthy()
    await flush()
    expect(calls.filter((c) => c.action === 'myBills').map((c) => c.input)).toEqual([{ communityId: C }])
    expect(screen.queryByText('¥2,096.24')).toBeNull()
  })

  it('shows the server\'s Chinese error with 重试', async () => {
    let fail = true
    mockApi({ me: () => OWNER, myBills: () => (fail ? new Fail('Unavailable', '服务器繁忙，请稍后再试') : BILLS) })
    signIn(OWNER)
    render(<FeesPage />)
    expect(await screen.findByText('服务器繁忙，请稍后再试')).toBeTruthy()
    fail = false
    fireEvent.click(screen.getByText('重试'))
    expect(await screen.findByText('¥2,096.24')).toBeTruthy()
  })
})

describe('bill detail', () => {
  it('shows the payee, each line with how it was computed, the due date, 12358 and the receipts', async () => {
    const detail: BillDetail = {
      ...bill('b-q2', '2026-Q2', '2026年第2季度', 96_724, 48_362), areaCentiM2: 8956, payer: 'owner', payeeName: '文清苑物业管理委员会', priceComplaintPhone: '12358',
      lines: [{ itemName: '物业服务费', kind: 'area', rateFen: 180, months: 3, amountFen: 48_362, basis: '1.80 元/㎡/月 × 89.56 ㎡ × 3 个月 = 483.62 元' }],
      payments: [{ receiptNo: 'R2026-000123', amountFen: 48_362, method: 'wechat', methodLabel: '微信支付', reference: 'WX1234', paidOn: '2026-04-03' }],
      credits: [], closedReason: null, writtenNotices: [], lateFee: null,
    }
    mockApi({ me: () => OWNER, getBill: () => detail })
    signIn(OWNER)
    __setRouterParams({ communityId: C, billId: 'b-q2' })
    render(<BillPage />)
    expect(await screen.findByText('1.80 元/㎡/月 × 89.56 ㎡ × 3 个月 = 483.62 元')).toBeTruthy()
    expect(screen.getByText('收费单位：文清苑物业管理委员会')).toBeTruthy()
    expect(screen.getByText('缴费期限：2026-03-31')).toBeTruthy()
    expect(screen.getByText('12358')).toBeTruthy()
    expect(screen.getByText('收据号：R2026-000123')).toBeTruthy()
    expect(screen.getByText('¥967.24')).toBeTruthy()
  })
})

describe('recording a payment', () => {
  it('asks first, sends fen parsed from yuan with the form\'s key, and a second tap sends the same key', async () => {
    const keys: string[] = []
    const calls = mockApi({
      recordPayment: (input) => {
        keys.push(input.idempotencyKey)
        return { receiptNo: 'R1', billId: input.billId, status: 'partly_paid', paidFen: input.amountFen, owedFen: 161_262 - input.amountFen, duplicate: keys.length > 1 }
      },
    })
    const paid: unknown[] = []
    const b = bill('b-q1', '2026-Q1', '2026年第1季度', 161_262, 0)
    render(<PaymentForm communityId={C} bill={b} onPaid={(r) => paid.push(r)} />)
    const amount = document.querySelector('.unit__pay input') as HTMLInputElement
    expect(amount.value).toBe('1612.62')
    fireEvent.input(amount, { target: { value: '1,000.5' } })
    // Cancelling the confirmation sends nothing; it says what is left after a partial payment.
    showModal.mockResolvedValueOnce({ confirm: false, cancel: true })
    fireEvent.click(screen.getByText('登记收款'))
    await flush()
    expect(calls).toHaveLength(0)
    expect((showModal.mock.calls as unknown as [{ content: string }][])[0][0].content).toContain('部分缴费，还差 ¥612.12')
    // Two taps: one request under way, the same key.
    fireEvent.click(screen.getByText('登记收款'))
    fireEvent.click(screen.getByText('登记收款'))
    await flush()
    await flush()
    expect(calls.map((c) => c.input.amountFen)).toEqual([100_050])
    expect(calls[0].input).toMatchObject({ communityId: C, billId: 'b-q1', method: 'cash' })
    expect(paid).toHaveLength(1)
  })

  it('retries a payment whose answer was lost with the same key, and uses a new key for the next payment', async () => {
    let lose = true
    const calls = mockApi({
      recordPayment: (input) => {
        if (lose) {
          lose = false
          return new Fail('Network', '网络连接失败，请检查网络后重试')
        }
        return { receiptNo: 'R1', billId: input.billId, status: 'paid', paidFen: input.amountFen, owedFen: 0, duplicate: false }
      },
    })
    render(<PaymentForm communityId={C} bill={bill('b', '2026-Q1', '2026年第1季度', 10_000, 0)} onPaid={() => undefined} />)
    fireEvent.click(screen.getByText('登记收款'))
    expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeTruthy()
    fireEvent.click(screen.getByText('登记收款'))
    await flush()
    await flush()
    fireEvent.click(screen.getByText('登记收款'))
    await flush()
    await flush()
    const keys = calls.map((c) => c.input.idempotencyKey)
    expect(keys).toHaveLength(3)
    expect(keys[1]).toBe(keys[0])
    expect(keys[2]).not.toBe(keys[0])
  })

  it('refuses an amount that is not yuan with at most two decimals', async () => {
    const calls = mockApi({})
    render(<PaymentForm communityId={C} bill={bill('b', '2026-Q1', '2026年第1季度', 10_000, 0)} onPaid={() => undefined} />)
    fireEvent.input(document.querySelector('.unit__pay input') as HTMLInputElement, { target: { value: '12.345' } })
    fireEvent.click(screen.getByText('登记收款'))
    expect(await screen.findByText(/金额不正确/)).toBeTruthy()
    expect(calls).toHaveLength(0)
  })
})
