// The strategy screen against a stubbed API: a manager edits a stage's day,
// sees the validation problem beside the field, saves with If-Match and is
// told when someone else changed the strategy; the simulation is drawn; a
// viewer sees the timeline but no edit button and no simulation.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { stubbedFetch } from '../../test/stub';

const fetchMock = stubbedFetch();

vi.mock('../components/Chart', () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} data-testid="chart" />,
}));

import { I18nProvider } from '../../shared/i18n';
import { catalogues } from '../catalogue';
import { SessionProvider } from '../session';
import { Strategy } from './Strategy';

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });
}

const strategy = {
  name: 'default',
  description: 'Cordial',
  stages: [
    { key: 'before_due_7', day: -7, actions: [{ type: 'message', channel: 'email', template: 'before_due', tone: 'cordial' }] },
    { key: 'overdue_30', day: 30, actions: [{ type: 'message', channel: 'best', fallback: ['sms'], template: 'overdue_30', tone: 'firm' }], conditions: { segments: ['high_risk'] } },
  ],
};

function stubApi(role: string, put: (body: Record<string, unknown>, ifMatch: string | null) => Response) {
  const calls: { method: string; path: string; body?: Record<string, unknown> }[] = [];
  fetchMock.mockImplementation(async (request: Request) => {
    const url = new URL(request.url);
    const body = request.method === 'GET' ? undefined : ((await request.clone().json().catch(() => undefined)) as Record<string, unknown> | undefined);
    calls.push({ method: request.method, path: url.pathname, body });
    if (url.pathname === '/api/v1/me') return json(200, { id: 1, kind: 'user', name: 'ana@x.test', role, tenant_id: 1, must_change_password: false });
    if (url.pathname === '/api/v1/strategy' && request.method === 'GET') return json(200, strategy, { ETag: '"v1"' });
    if (url.pathname === '/api/v1/strategy' && request.method === 'PUT') return put(body!, request.headers.get('If-Match'));
    if (url.pathname === '/api/v1/strategy/validate') {
      const stages = (body!.stages as { day: unknown }[]) ?? [];
      const bad = stages.findIndex((s) => typeof s.day !== 'number');
      return json(200, bad < 0 ? { valid: true, name: 'default', stages: stages.length, problems: [] } : { valid: false, name: null, stages: null, problems: [{ field: `/stages/${bad}/day`, detail: 'must be a whole number' }] });
    }
    if (url.pathname === '/api/v1/simulations') {
      return json(200, { object: 'list', has_more: false, data: [
        { day: '2026-12-04', customer_external_id: 'C1', country: 'CO', channel: 'email', stage: 'overdue_30', action: 'message', utc: '', local: '' },
        { day: '2026-12-04', customer_external_id: 'C2', country: 'CO', channel: 'sms', stage: 'overdue_30', action: 'message', utc: '', local: '' },
        { day: '2026-12-05', customer_external_id: 'C1', country: 'CO', channel: 'email', stage: 'overdue_30', action: 'message', utc: '', local: '' },
      ], strategy_name: 'default', proposed: Boolean(body?.strategy), per_day: [],
      totals: { contacts: { email: 2, sms: 1, whatsapp: 0, call: 0, letter: 0 },
        blocked: { count: 2, by_reason: { frequency_cap: 2 } }, deferred: { count: 5, by_reason: { outside_hours: 5 } } } });
    }
    return json(404, { title: 'not found' });
  });
  return calls;
}

function renderScreen() {
  localStorage.setItem('cartera.lang', 'en');
  return render(
    <I18nProvider catalogues={catalogues}>
      <SessionProvider>
        <Strategy />
      </SessionProvider>
    </I18nProvider>,
  );
}

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
});

describe('Strategy', () => {
  it('draws the stages and the simulation, validates beside the field and saves with If-Match', async () => {
    const calls = stubApi('manager', (body, ifMatch) => (ifMatch === '"v1"' ? json(200, body, { ETag: '"v2"' }) : json(412, { title: 'changed' })));
    renderScreen();
    expect(await screen.findByTestId('strategy-timeline')).toBeTruthy();
    expect(screen.getByText(/overdue_30 · day \+30/)).toBeTruthy();
    expect(await screen.findByTestId('sim-totals')).toBeTruthy();
    expect(screen.getByTestId('sim-totals').textContent).toContain('E-mail2');
    const law = (await screen.findByTestId('law-blocks')).textContent;
    expect(law).toContain('2 contacts blocked');
    expect(law).toContain('Weekly contact cap: 2');
    expect(law).toContain('5 contacts deferred');
    expect(screen.getByTestId('sim-saved')).toBeTruthy();

    fireEvent.click(screen.getByTestId('strategy-edit'));
    fireEvent.change(screen.getByTestId('stage-day-1'), { target: { value: 'x' } });
    await act(async () => fireEvent.click(screen.getByTestId('strategy-validate')));
    expect((await screen.findByText('must be a whole number', { selector: '.field-error' })).getAttribute('data-pointer')).toBe('/stages/1/day');

    fireEvent.change(screen.getByTestId('stage-day-1'), { target: { value: '45' } });
    fireEvent.change(screen.getByTestId('action-tone-1-0'), { target: { value: 'cordial' } });
    // The preview plays the proposal being edited, before it is saved.
    await act(async () => fireEvent.click(screen.getByTestId('simulate')));
    expect(await screen.findByTestId('sim-proposed')).toBeTruthy();
    const simulated = calls.filter((c) => c.path === '/api/v1/simulations').at(-1)!;
    expect((simulated.body!.strategy as { stages: { day: number }[] }).stages[1].day).toBe(45);
    await act(async () => fireEvent.click(screen.getByTestId('strategy-save')));
    expect(await screen.findByTestId('strategy-saved')).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT')!;
    const stages = put.body!.stages as { day: number; actions: { tone: string; fallback: string[] }[] }[];
    expect(stages[1].day).toBe(45);
    expect(stages[1].actions[0].tone).toBe('cordial');
    expect(stages[1].actions[0].fallback).toEqual(['sms']);
  });

  it('tells the manager when someone else changed the strategy (412)', async () => {
    stubApi('manager', () => json(412, { title: 'The resource changed', status: 412 }));
    renderScreen();
    fireEvent.click(await screen.findByTestId('strategy-edit'));
    await act(async () => fireEvent.click(screen.getByTestId('strategy-save')));
    expect((await screen.findByTestId('strategy-conflict')).textContent).toContain('Someone else changed');
  });

  it('shows a viewer the timeline without edit buttons or simulation', async () => {
    const calls = stubApi('viewer', () => json(403, {}));
    renderScreen();
    expect(await screen.findByTestId('strategy-timeline')).toBeTruthy();
    expect(screen.queryByTestId('strategy-edit')).toBeNull();
    expect(screen.queryByTestId('simulation')).toBeNull();
    expect(calls.some((c) => c.path === '/api/v1/simulations')).toBe(false);
  });
});
