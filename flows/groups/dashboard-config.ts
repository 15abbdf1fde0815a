/** The store flow's dashboard configuration: the theme and site, the Store and History tabs and their groups. */
import { dashboardSite } from '../builder/dashboard-widgets';
import { FlowNode } from '../builder/layout';

const UI_THEME = {
  name: 'theme-dark',
  lightTheme: { default: '#0094CE', baseColor: '#0094CE', baseFont: 'system-ui,sans-serif', edited: false },
  darkTheme: {
    default: '#097479',
    baseColor: '#e0664b',
    baseFont: 'system-ui,sans-serif',
    edited: true,
    reset: false,
  },
  customTheme: {
    name: 'Untitled Theme 1',
    default: '#4B7930',
    baseColor: '#4B7930',
    baseFont: 'system-ui,sans-serif',
  },
  themeState: {
    'base-color': { default: '#097479', value: '#e0664b', edited: true },
    'page-titlebar-backgroundColor': { value: '#e0664b', edited: false },
    'page-backgroundColor': { value: '#111111', edited: false },
    'page-sidebar-backgroundColor': { value: '#333333', edited: false },
    'group-textColor': { value: '#ed927e', edited: false },
    'group-borderColor': { value: '#555555', edited: false },
    'group-backgroundColor': { value: '#333333', edited: false },
    'widget-textColor': { value: '#eeeeee', edited: false },
    'widget-backgroundColor': { value: '#e0664b', edited: false },
    'widget-borderColor': { value: '#333333', edited: false },
    'base-font': { value: 'system-ui,sans-serif' },
  },
  angularTheme: { primary: 'indigo', accents: 'blue', warn: 'red', background: 'grey', palette: 'light' },
};

/** A dashboard group (a box of widgets on a tab). */
function uiGroup(id: string, name: string, tab: string, order: number, width: number): FlowNode {
  return { id, type: 'ui_group', name, tab, order, disp: true, width, collapse: false, className: '' };
}

function uiTab(id: string, name: string, icon: string, order: number): FlowNode {
  return { id, type: 'ui_tab', name, icon, order, disabled: false, hidden: false };
}

export function dashboardConfig(): FlowNode[] {
  return [
    {
      id: 'sa-ui-base',
      type: 'ui_base',
      theme: UI_THEME,
      site: dashboardSite('Store analytics'),
    },
    uiTab('sa-ui-tab', 'Store', 'dashboard', 1),
    uiGroup('sa-ui-video', 'Cameras', 'sa-ui-tab', 1, 12),
    uiGroup('sa-ui-today', 'Store today', 'sa-ui-tab', 2, 6),
    uiTab('sa-ui-history-tab', 'History', 'fa-history', 2),
    uiGroup('sa-ui-g-history-today', 'Today against the same day last week', 'sa-ui-history-tab', 1, 12),
    uiGroup('sa-ui-g-history-days', 'Last 30 days', 'sa-ui-history-tab', 2, 12),
    uiGroup('sa-ui-g-history-heat', 'Heat by day and hour', 'sa-ui-history-tab', 3, 12),
    uiGroup('sa-ui-counting', 'Footfall and zones', 'sa-ui-tab', 3, 6),
  ];
}
