import { useNav } from '../../app/nav-store';
import { TxDetail } from './TxDetail';
import { TxList } from './TxList';

export function TransactionsScreen() {
  const paymentId = useNav((s) => s.paymentId);
  return paymentId ? <TxDetail paymentId={paymentId} /> : <TxList />;
}
