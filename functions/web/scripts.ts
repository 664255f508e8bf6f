/**
 * The pages' few inline scripts. Every page works without them; they only add what needs the
 * browser (a live total while typing). Each is allowed by its SHA-256 in the pages' CSP
 * (layout.tsx), exactly like the stylesheet: no other script can run.
 */

/**
 * Score sheet: the total of the indicator inputs (`input[data-points]`) while the reviewer types,
 * shown in `#sheet-total`, with an over-the-maximum warning per input. The server checks again.
 */
export const SHEET_TOTAL_JS = `(function(){
var f=document.getElementById('sheet');if(!f)return;
var out=document.getElementById('sheet-total');
function upd(){var t=0,bad=false;
f.querySelectorAll('input[data-points]').forEach(function(i){
var v=i.value.trim();if(v==='')return;var n=Number(v);var max=Number(i.getAttribute('data-points'));
var ok=/^\\d{1,3}(\\.\\d{1,2})?$/.test(v)&&n<=max;i.classList.toggle('invalid',!ok);
if(ok)t+=Math.round(n*100);else bad=true;});
if(out)out.textContent=(t/100).toFixed(2)+(bad?' *':'');}
f.addEventListener('input',upd);upd();})();`;

export const PAGE_SCRIPTS = [SHEET_TOTAL_JS] as const;
