/*
 * The area editor's words and look, once for both dialogs (line-counter and zone-monitor): every
 * text the widget shows, and its stylesheet (Node-RED's theme colours where it has them).
 */
(function () {
  'use strict';
  const ns = (window.StoreAnalyticsAreas = window.StoreAnalyticsAreas || {});

  /** Every word the widget shows, in one place. */
  ns.text = {
    lines: {
      title: 'Lines',
      icon: 'fa-exchange',
      one: 'line',
      none: 'No lines yet: drag across the picture where people should be counted.',
      hint: 'Drag on the picture to draw a line; the arrow points the way that counts as <b>in</b>. Drag an end or the line to move it. Select an end and press <kbd>Delete</kbd> (or right-click it) to remove the line; <kbd>Shift</kbd>+drag draws over another line.',
      envVariable: 'COUNTING_LINES',
    },
    zones: {
      title: 'Zones',
      icon: 'fa-object-ungroup',
      one: 'zone',
      none: 'No zones yet: click the corners of an area on the picture.',
      hint: 'Click the corners of a zone on the picture; click the first corner (or double-click) to close it, <kbd>Esc</kbd> to cancel. Drag a corner or the zone to move it; select a corner and press <kbd>Delete</kbd> (or right-click it) to remove it (a zone keeps at least 3). <kbd>Shift</kbd>+click starts a zone inside another.',
      envVariable: 'COUNTING_ZONES',
    },
    noCamera: 'No camera (rtsp-in) is wired to this node, so there is no picture.',
    loading: 'loading the picture…',
    unreachable: 'the editor cannot reach Node-RED',
    blankBecause: 'No picture: ',
    blankAfter:
      'Draw on this blank frame meanwhile: shapes are kept as fractions of the frame, so they fit the picture later.',
    refresh: 'Load the camera picture again',
    pick: 'The camera whose picture is shown',
    envButton: 'From an environment variable',
    envButtonTip:
      'Take the shapes from an environment variable at deploy (a JSON list in fractions, or {"…": [...], "size": [w, h]} in pixels) instead of drawing them here',
    envText: 'Taken at deploy from the environment variable',
    envAfter: 'The picture cannot show them here; drawing replaces the variable with the drawing.',
    envUseDrawing: 'use the drawing',
    unreadable: 'The saved setting is not a JSON list, so it is not shown; drawing here replaces it.',
    reverse: 'reverse',
    reverseTip: 'Swap the ends: what counted as in counts as out',
    queue: 'queue',
    queueTip: 'A queue (a till): the zone also gives queue length and wait times',
    remove: 'Delete',
    inWay: 'in:',
    threeCorners: (name) =>
      'A zone needs at least 3 corners: "' +
      name +
      '" keeps its corners (its trash button deletes the zone).',
    everyCamera: (id) =>
      'Camera is empty: every camera wired here is counted with these shapes (the picture is ' +
      id +
      "'s). Choose a camera above to count that one only.",
    oneCamera: (id) =>
      'Counts camera ' + id + ' only (the Camera setting). Empty Camera: every camera, with these shapes.',
    notWired: (id) => 'Camera "' + id + '" is not wired to this node: it would count nothing. Wired: ',
  };

  // The widget's look, once for both dialogs (Node-RED's theme colours where it has them).
  if (!document.getElementById('sa-areas-style')) {
    const style = document.createElement('style');
    style.id = 'sa-areas-style';
    style.textContent = [
      '.sa-areas{width:100%}',
      '.sa-areas-head{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:6px;min-height:34px}',
      '.sa-areas-head > label.sa-areas-title{width:130px;margin:0;flex:none}',
      '.red-ui-editor .sa-areas-head select.sa-areas-camera{width:auto;min-width:120px;max-width:220px;margin:0}',
      '.sa-areas-note{color:var(--red-ui-secondary-text-color,#888);font-size:.92em;flex:1 1 160px;min-width:0}',
      '.sa-areas-head .sa-areas-env-button{margin-left:auto}',
      '.sa-areas-env{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin:0 0 6px;padding:6px 8px;border:1px solid var(--red-ui-secondary-border-color,#ddd);border-radius:3px;background:var(--red-ui-form-tips-background,#ffe)}',
      '.red-ui-editor .sa-areas-env input.sa-areas-env-name{width:190px;margin:0}',
      '.sa-areas-env .sa-areas-env-after{flex:1 0 100%;color:var(--red-ui-secondary-text-color,#888);font-size:.92em}',
      '.sa-areas-env code{margin:0}',
      '.sa-areas-main{display:flex;gap:12px;align-items:flex-start;flex-wrap:wrap}',
      '.sa-areas-view{flex:1 1 400px;min-width:260px}',
      '.sa-areas-side{flex:1 1 230px;min-width:230px}',
      '.sa-areas-stage{position:relative;width:100%;background:#222;border-radius:3px;overflow:hidden;outline:none;user-select:none;-webkit-user-select:none}',
      '.sa-areas-stage:focus-visible,.sa-areas-stage.sa-focus{box-shadow:0 0 0 2px var(--red-ui-form-input-focus-color,#2e7acc)}',
      '.sa-areas-blank{background:repeating-linear-gradient(45deg,#333,#333 12px,#3a3a3a 12px,#3a3a3a 24px)}',
      '.sa-areas-picture{position:absolute;inset:0;width:100%;height:100%;display:block;max-width:none !important}',
      '.sa-areas-blank .sa-areas-picture{display:none}',
      '.sa-areas-message{position:absolute;inset:0;display:none;align-items:center;justify-content:center;padding:12% 14%;text-align:center;color:#e8e8e8;font-size:1.05em;line-height:1.45;pointer-events:none;text-shadow:0 1px 2px #000}',
      '.sa-areas-blank .sa-areas-message{display:flex}',
      '.sa-areas-svg{position:absolute;inset:0;width:100%;height:100%;cursor:crosshair;touch-action:none}',
      '.sa-areas-svg .sa-handle{cursor:move}.sa-areas-svg .sa-body{cursor:grab}',
      '.sa-areas-svg .sa-label{fill:#fff;paint-order:stroke;stroke:#000;stroke-width:3px;stroke-linejoin:round;pointer-events:none;font-family:sans-serif;font-weight:bold}',
      '.sa-areas-svg .sa-arrow,.sa-areas-svg .sa-draft{pointer-events:none}',
      '.sa-areas-hint{color:var(--red-ui-secondary-text-color,#888);font-size:.88em;line-height:1.45;margin:6px 0 0}',
      '.sa-areas-hint kbd{font-family:inherit;font-size:.95em;padding:0 4px;border:1px solid var(--red-ui-secondary-border-color,#ddd);border-radius:3px;background:var(--red-ui-secondary-background,#fff)}',
      '.red-ui-editor ol.sa-areas-list{list-style:none;margin:0;padding:0}',
      '.sa-areas-row{display:flex;gap:6px;align-items:center;flex-wrap:wrap;padding:5px 6px;margin-bottom:4px;border:1px solid var(--red-ui-secondary-border-color,#ddd);border-radius:3px;background:var(--red-ui-secondary-background,#fff)}',
      '.sa-areas-row.sa-selected{background:var(--red-ui-list-item-background-selected,#ffebc7);border-color:var(--red-ui-list-item-border-selected,#666)}',
      '.red-ui-editor .sa-areas-row input.sa-areas-name{flex:1 1 100px;min-width:80px;width:auto;margin:0}',
      '.sa-areas-row .sa-areas-detail{flex:1 0 100%;box-sizing:border-box;display:flex;gap:8px;align-items:center;padding-left:20px;color:var(--red-ui-secondary-text-color,#888);font-size:.92em}',
      '.sa-areas-detail .sa-areas-way{flex:1}',
      '.red-ui-editor .sa-areas-detail label.sa-areas-queue{width:auto;margin:0;flex:1;cursor:pointer}',
      '.red-ui-editor .sa-areas-detail label.sa-areas-queue input{width:auto;margin:0 4px 0 0;vertical-align:middle}',
      '.sa-swatch{width:14px;height:14px;border-radius:3px;flex:none;border:1px solid rgba(0,0,0,.25)}',
      '.sa-areas-empty{color:var(--red-ui-secondary-text-color,#888);font-style:italic;padding:4px 0}',
      '.sa-areas-camera-note{margin-top:6px;color:var(--red-ui-secondary-text-color,#888);font-size:.9em;line-height:1.4}',
      '.sa-areas-camera-note.sa-warning{color:var(--red-ui-text-color-error,#ad1625)}',
    ].join('\n');
    document.head.appendChild(style);
  }
})();
