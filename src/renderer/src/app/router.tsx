import { createHashRouter, type RouteObject } from 'react-router'
import { Shell } from './Shell'
import { RouteError } from './RouteError'
import Dashboard from '../pages/dashboard/DashboardPage'
import AgentsPage from '../pages/agents/AgentsPage'
import type { RouteHandle } from './TopBar'

// Hash routes (electron-vite's advice: the same build works from file:// in the desktop and
// from `serve`). The dashboard and the roster are in the main bundle; other pages load on demand.

type Loader = () => Promise<{ default: React.ComponentType }>
const page = (path: string, handle: RouteHandle, load: Loader): RouteObject => ({
  path,
  handle,
  lazy: async () => ({ Component: (await load()).default }),
})

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Shell />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <div className="page" />,
    children: [
      { index: true, element: <Dashboard />, handle: { nav: 'dashboard' } satisfies RouteHandle },
      { path: 'agents', element: <AgentsPage />, handle: { nav: 'agents' } satisfies RouteHandle },
      page('agents/:pcId', { nav: 'agents' }, () => import('../pages/agents/AgentDetailPage')),
      page('inventory', { nav: 'inventory' }, () => import('../pages/inventory/InventoryPage')),
      page('activity', { nav: 'activity' }, () => import('../pages/activity/ActivityPage')),
      page('activity/:resultId', { nav: 'activity' }, () => import('../pages/activity/ResultPage')),
      page('executions', { nav: 'executions' }, () => import('../pages/executions/ExecutionsPage')),
      page('executions/:execId', { nav: 'executions' }, () => import('../pages/executions/ExecutionBoardPage')),
      page('run', { nav: 'run' }, () => import('../pages/run/RunPage')),
      page('exec', { nav: 'exec' }, () => import('../pages/exec/ExecPage')),
      page('jobs', { nav: 'jobs' }, () => import('../pages/jobs/JobsPage')),
      page('jobs/new', { nav: 'jobs' }, () => import('../pages/jobs/JobEditorPage')),
      page('jobs/:jobId', { nav: 'jobs' }, () => import('../pages/jobs/JobEditorPage')),
      page('schedules', { nav: 'schedules' }, () => import('../pages/schedules/SchedulesPage')),
      page('schedules/new', { nav: 'schedules' }, () => import('../pages/schedules/ScheduleEditorPage')),
      page('schedules/:scheduleId', { nav: 'schedules' }, () => import('../pages/schedules/ScheduleEditorPage')),
      page('audit', { nav: 'audit' }, () => import('../pages/audit/AuditPage')),
      page('config', { nav: 'config' }, () => import('../pages/config/ConfigPage')),
      page('jetstream', { nav: 'jetstream' }, () => import('../pages/system/JetStreamPage')),
      page('projectors', { nav: 'projectors' }, () => import('../pages/system/ProjectorsPage')),
      page('settings', { nav: 'settings' }, () => import('../pages/settings/SettingsPage')),
      page('*', {}, () => import('../pages/NotFoundPage')),
    ],
  },
]

export const createRouter = () => createHashRouter(routes)
