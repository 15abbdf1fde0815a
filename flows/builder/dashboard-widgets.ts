/** node-red-dashboard widgets with this package's look. */
import { FlowNode } from './layout';
import { node } from './nodes';

/** A text line (label: value) in dashboard group `uiGroup`. */
export function uiText(
  id: string,
  label: string,
  order: number,
  x: number,
  y: number,
  uiGroup = 'sa-ui-today',
): FlowNode {
  return node(
    'ui_text',
    id,
    label,
    x,
    y,
    {
      group: uiGroup,
      order,
      width: 6,
      height: 1,
      label,
      format: '{{msg.payload}}',
      layout: 'row-spread',
      className: '',
      style: false,
      font: '',
      fontSize: '',
      color: '#000000',
    },
    [],
  );
}

/** A chart; `props` says what it shows. */
export function uiChart(
  id: string,
  name: string,
  x: number,
  y: number,
  props: {
    group: string;
    order: number;
    label: string;
    chartType: 'line' | 'bar';
    interpolate: string;
    nodata: string;
    removeOlderUnit: string;
  },
): FlowNode {
  return node(
    'ui_chart',
    id,
    name,
    x,
    y,
    {
      group: props.group,
      order: props.order,
      width: 6,
      height: 4,
      label: props.label,
      chartType: props.chartType,
      legend: 'true',
      xformat: 'HH:mm',
      interpolate: props.interpolate,
      nodata: props.nodata,
      dot: false,
      ymin: '0',
      ymax: '',
      removeOlder: 1,
      removeOlderPoints: '',
      removeOlderUnit: props.removeOlderUnit,
      cutout: 0,
      useOneColor: false,
      useUTC: false,
      colors: [
        '#e0664b',
        '#aec7e8',
        '#ff7f0e',
        '#2ca02c',
        '#98df8a',
        '#d62728',
        '#ff9896',
        '#9467bd',
        '#c5b0d5',
      ],
      outputs: 1,
      useDifferentColor: false,
      className: '',
    },
    [[]],
  );
}

/** An Angular template (a file of flows/pages, its `format`) drawn from msg.payload. */
export function uiTemplate(
  id: string,
  name: string,
  x: number,
  y: number,
  place: { group: string; order: number; width: number; height: number },
  format: string,
): FlowNode {
  return node(
    'ui_template',
    id,
    name,
    x,
    y,
    {
      group: place.group,
      order: place.order,
      width: place.width,
      height: place.height,
      format: format.trim(),
      storeOutMessages: true,
      fwdInMessages: false,
      resendOnRefresh: true,
      templateScope: 'local',
      className: '',
    },
    [[]],
  );
}

/** A dashboard's site settings (its ui_base node): the title, the rest as the editor's defaults. */
export function dashboardSite(name: string): Record<string, unknown> {
  return {
    name,
    hideToolbar: 'false',
    allowSwipe: 'false',
    lockMenu: 'false',
    allowTempTheme: 'true',
    dateFormat: 'DD/MM/YYYY',
    sizes: { sx: 48, sy: 48, gx: 6, gy: 6, cx: 6, cy: 6, px: 0, py: 0 },
  };
}
