// The debtor portal (placeholder until the portal screens land).
import { createRoot } from 'react-dom/client';
createRoot(document.getElementById('root')!).render(<p>Cartera</p>);
