<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AssistedPage</name>
    <message>
        <source>Type what each person tells you and tick the consent box once they agree. Enter saves and starts the next person; Shift+Tab from the first field reaches Undo.</source>
        <translation>Tippen Sie ein, was Ihnen jede Person sagt, und kreuzen Sie die Einwilligung an, sobald sie zustimmt. Die Eingabetaste speichert und beginnt mit der nächsten Person; Umschalt+Tab im ersten Feld führt zu „Letzten Eintrag zurücknehmen“.</translation>
    </message>
    <message>
        <source>Typing for signers: %1</source>
        <translation>Eintragen für Unterzeichnende: %1</translation>
    </message>
</context>
<context>
    <name>AttentionSection</name>
    <message>
        <source>Needs attention</source>
        <translation>Braucht Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Signatures the server refused, and why. Fix the cause (for example publish the campaign on the server), then send them again, or set them aside with a reason. Nothing is ever deleted.</source>
        <translation>Unterschriften, die der Server abgelehnt hat, mit Grund. Beheben Sie die Ursache (zum Beispiel die Kampagne auf dem Server veröffentlichen) und senden Sie erneut, oder stellen Sie sie mit Begründung zurück. Es wird nie etwas gelöscht.</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Erneut senden</translation>
    </message>
    <message>
        <source>Set aside</source>
        <translation>Zurückstellen</translation>
    </message>
    <message>
        <source>Note (optional, no personal data)</source>
        <translation>Notiz (freiwillig, keine personenbezogenen Daten)</translation>
    </message>
    <message>
        <source>Select one or more rows first.</source>
        <translation>Wählen Sie zuerst eine oder mehrere Zeilen.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) will be sent again at the next sync.</source>
        <translation>
            <numerusform>%Ln Unterschrift wird bei der nächsten Synchronisierung erneut gesendet.</numerusform>
            <numerusform>%Ln Unterschriften werden bei der nächsten Synchronisierung erneut gesendet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) set aside. The log keeps the reason.</source>
        <translation>
            <numerusform>%Ln Unterschrift zurückgestellt. Das Protokoll behält den Grund.</numerusform>
            <numerusform>%Ln Unterschriften zurückgestellt. Das Protokoll behält den Grund.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttractPage</name>
    <message>
        <source>Sign</source>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <source>Read the letter and sign</source>
        <translation>Brief lesen und unterschreiben</translation>
    </message>
    <message>
        <source>Read the letter, then add your name. It takes about a minute.</source>
        <translation>Lesen Sie den Brief und setzen Sie dann Ihren Namen darunter. Das dauert etwa eine Minute.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s)</source>
        <translation>
            <numerusform>%Ln Unterschrift</numerusform>
            <numerusform>%Ln Unterschriften</numerusform>
        </translation>
    </message>
    <message>
        <source>Help us reach %1.</source>
        <translation>Helfen Sie uns, %1 zu erreichen.</translation>
    </message>
</context>
<context>
    <name>CampaignStep</name>
    <message>
        <source>Which petition will this device collect signatures for?</source>
        <translation>Für welche Petition soll dieses Gerät Unterschriften sammeln?</translation>
    </message>
    <message>
        <source>Import a campaign from a folder or a zip file…</source>
        <translation>Kampagne aus einem Ordner oder einer ZIP-Datei importieren…</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>Kampagne</translation>
    </message>
    <message>
        <source>Imported: %1.</source>
        <translation>Importiert: %1.</translation>
    </message>
    <message>
        <source>Already imported: %1.</source>
        <translation>Bereits importiert: %1.</translation>
    </message>
</context>
<context>
    <name>CampaignsSection</name>
    <message>
        <source>Campaigns</source>
        <translation>Kampagnen</translation>
    </message>
    <message>
        <source>Print paper sheets…</source>
        <translation>Papierbögen drucken…</translation>
    </message>
    <message>
        <source>Import a campaign…</source>
        <translation>Kampagne importieren…</translation>
    </message>
    <message>
        <source>Installed campaign versions</source>
        <translation>Installierte Kampagnenversionen</translation>
    </message>
    <message>
        <source>Active campaign</source>
        <translation>Aktive Kampagne</translation>
    </message>
    <message>
        <source>Default language</source>
        <translation>Standardsprache</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>%1, version %2: the server publishes other texts under this version number. This device keeps its own, so every signature still records the text its signer saw. Ask the campaign&apos;s organisers to publish their texts as a new version.</source>
        <translation>%1, Version %2: Der Server veröffentlicht unter dieser Versionsnummer andere Texte. Dieses Gerät behält seine eigenen, sodass jede Unterschrift weiterhin den Text festhält, den die unterzeichnende Person gesehen hat. Bitten Sie die Verantwortlichen der Kampagne, ihre Texte als neue Version zu veröffentlichen.</translation>
    </message>
    <message>
        <source>%1, version %2: set aside. The server this device is enrolled with does not vouch for it, so no new signatures are taken on it (those made on it are kept and sent). Tell the server&apos;s operator.</source>
        <translation>%1, Version %2: beiseitegelegt. Der Server, bei dem dieses Gerät angemeldet ist, bürgt nicht für sie; deshalb werden auf ihr keine neuen Unterschriften mehr gesammelt (die auf ihr geleisteten bleiben erhalten und werden gesendet). Sagen Sie es dem Betreiber des Servers.</translation>
    </message>
    <message>
        <source>%1, version %2: not installed. The server this device is enrolled with did not vouch for it (someone on the network may have added it). Tell the server&apos;s operator.</source>
        <translation>%1, Version %2: nicht installiert. Der Server, bei dem dieses Gerät angemeldet ist, hat nicht für sie gebürgt (jemand im Netzwerk könnte sie hinzugefügt haben). Sagen Sie es dem Betreiber des Servers.</translation>
    </message>
    <message>
        <source>%1, version %2: imported from a file and not verified by a server. Check its texts before signers use it.</source>
        <translation>%1, Version %2: aus einer Datei importiert und von keinem Server geprüft. Prüfen Sie die Texte, bevor Unterzeichnende sie nutzen.</translation>
    </message>
    <message>
        <source>This campaign seals its signers&apos; details and this device has no key for it: nobody can sign here. Enroll the device with the campaign&apos;s server (Settings): the key comes with the enrollment.</source>
        <translation>Diese Kampagne verschlüsselt die Angaben der Unterzeichnenden, und dieses Gerät hat keinen Schlüssel dafür: Hier kann niemand unterschreiben. Melden Sie das Gerät beim Server der Kampagne an (Einstellungen): Der Schlüssel kommt mit der Anmeldung.</translation>
    </message>
    <message>
        <source>Sealed: signers&apos; details are encrypted for the server (key %1) as they are saved; this device cannot read them back.</source>
        <translation>Versiegelt: Die Angaben der Unterzeichnenden werden beim Speichern für den Server verschlüsselt (Schlüssel %1); dieses Gerät kann sie nicht mehr lesen.</translation>
    </message>
    <message>
        <source>Not sealed: this campaign keeps signers&apos; details readable on this device until they are sent and purged.</source>
        <translation>Nicht versiegelt: Diese Kampagne lässt die Angaben der Unterzeichnenden auf diesem Gerät lesbar, bis sie gesendet und gelöscht sind.</translation>
    </message>
    <message>
        <source>Not sealed yet: signers&apos; details stay readable on this device until it is enrolled with a server. Enroll it before the event (Settings).</source>
        <translation>Noch nicht versiegelt: Die Angaben der Unterzeichnenden bleiben auf diesem Gerät lesbar, bis es mit einem Server verbunden ist. Verbinden Sie es vor der Veranstaltung (Einstellungen).</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Imported: %1. Choose it above and save to collect for it.</source>
        <translation>Importiert: %1. Wählen Sie sie oben aus und speichern Sie, um dafür zu sammeln.</translation>
    </message>
    <message>
        <source>Already imported: %1.</source>
        <translation>Bereits importiert: %1.</translation>
    </message>
</context>
<context>
    <name>Crowd</name>
    <message>
        <source>Another program already uses this port. Choose another port.</source>
        <translation>Ein anderes Programm nutzt diesen Port bereits. Wählen Sie einen anderen Port.</translation>
    </message>
    <message>
        <source>This computer is not on that network any more. Check the Wi-Fi, then choose the address again.</source>
        <translation>Dieser Computer ist nicht mehr in diesem Netz. Prüfen Sie das WLAN und wählen Sie die Adresse dann neu.</translation>
    </message>
    <message>
        <source>This port is not allowed for the app. Choose a port above 1024.</source>
        <translation>Diesen Port darf die App nicht nutzen. Wählen Sie einen Port über 1024.</translation>
    </message>
    <message>
        <source>The campaign is not installed on this device.</source>
        <translation>Die Kampagne ist auf diesem Gerät nicht installiert.</translation>
    </message>
    <message>
        <source>Choose the network address the phones reach this device on.</source>
        <translation>Wählen Sie die Netzadresse, unter der die Telefone dieses Gerät erreichen.</translation>
    </message>
    <message>
        <source>The phone service stopped unexpectedly. Turn it on again.</source>
        <translation>Der Dienst für die Telefone wurde unerwartet beendet. Schalten Sie ihn wieder ein.</translation>
    </message>
    <message>
        <source>The phone service did not start. Turn it on again.</source>
        <translation>Der Dienst für die Telefone ist nicht gestartet. Schalten Sie ihn wieder ein.</translation>
    </message>
</context>
<context>
    <name>CrowdCodes</name>
    <message>
        <source>1. Join the Wi-Fi</source>
        <translation>1. WLAN beitreten</translation>
    </message>
    <message>
        <source>2. Open the petition</source>
        <translation>2. Petition öffnen</translation>
    </message>
    <message>
        <source>Open the petition</source>
        <translation>Petition öffnen</translation>
    </message>
    <message>
        <source>Wi-Fi: %1</source>
        <translation>WLAN: %1</translation>
    </message>
    <message>
        <source>Password: %1</source>
        <translation>Passwort: %1</translation>
    </message>
    <message>
        <source>Point your phone&apos;s camera at code 1 to join this stand&apos;s Wi-Fi, then at code 2 to open the petition.</source>
        <translation>Richten Sie die Kamera Ihres Handys auf Code 1, um dem WLAN dieses Stands beizutreten, dann auf Code 2, um die Petition zu öffnen.</translation>
    </message>
    <message>
        <source>Point your phone&apos;s camera at the code to open the petition.</source>
        <translation>Richten Sie die Kamera Ihres Handys auf den Code, um die Petition zu öffnen.</translation>
    </message>
    <message>
        <source>Read the letter and sign on your own phone: no app, no internet needed.</source>
        <translation>Lesen Sie den Brief und unterschreiben Sie auf Ihrem eigenen Handy – ohne App und ohne Internet.</translation>
    </message>
</context>
<context>
    <name>CrowdPoster</name>
    <message>
        <source>Sign this petition on your phone</source>
        <translation>Unterschreiben Sie diese Petition auf Ihrem Handy</translation>
    </message>
    <message>
        <source>No camera? Join the Wi-Fi, then type this address:</source>
        <translation>Keine Kamera? Treten Sie dem WLAN bei und geben Sie dann diese Adresse ein:</translation>
    </message>
</context>
<context>
    <name>DeviceStep</name>
    <message>
        <source>Device name</source>
        <translation>Gerätename</translation>
    </message>
    <message>
        <source>What should this device be called?</source>
        <translation>Wie soll dieses Gerät heißen?</translation>
    </message>
    <message>
        <source>e.g. Courthouse table 1</source>
        <translation>z. B. Tisch 1 am Gericht</translation>
    </message>
    <message>
        <source>The name appears in exports, hand-off files and on the server, so that you know which device collected what. Name a place or a table, never a person.</source>
        <translation>Der Name erscheint in Exporten, Übergabedateien und auf dem Server, damit Sie wissen, welches Gerät was gesammelt hat. Nennen Sie einen Ort oder einen Tisch, nie eine Person.</translation>
    </message>
    <message>
        <source>This device</source>
        <translation>Dieses Gerät</translation>
    </message>
</context>
<context>
    <name>EnrollmentBox</name>
    <message>
        <source>K7QM-2XPA-9RTF, or paste the text of the QR code</source>
        <translation>K7QM-2XPA-9RTF, oder den Text des QR-Codes einfügen</translation>
    </message>
    <message>
        <source>Enroll this device</source>
        <translation>Dieses Gerät anmelden</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>Wird angemeldet …</translation>
    </message>
    <message>
        <source>Enrolled with %1 as %2.</source>
        <translation>Angemeldet bei %1 als %2.</translation>
    </message>
</context>
<context>
    <name>Entry</name>
    <message>
        <source>Nothing was saved: this petition encrypts the signers&apos; details for the campaign&apos;s server, and this device has not received that key yet. Nothing typed is lost. Connect the device to the server (panel, Settings) and save again.</source>
        <translation>Nichts wurde gespeichert: Diese Petition verschlüsselt die Angaben der Unterzeichnenden für den Server der Kampagne, und dieses Gerät hat den Schlüssel dafür noch nicht erhalten. Nichts Eingetipptes geht verloren. Verbinden Sie das Gerät mit dem Server (Koordinationsbereich, Einstellungen) und speichern Sie erneut.</translation>
    </message>
    <message>
        <source>Nothing was saved: the database on this device cannot be written (is the disk full?). Nothing typed is lost.</source>
        <translation>Nichts wurde gespeichert: Die Datenbank auf diesem Gerät kann nicht beschrieben werden (ist der Speicher voll?). Nichts Eingetipptes geht verloren.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Uhrzeit</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>Bogen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Angaben</translation>
    </message>
</context>
<context>
    <name>EntryForm</name>
    <message>
        <source>Handwritten signature</source>
        <translation>Handschriftliche Unterschrift</translation>
    </message>
</context>
<context>
    <name>EntryPage</name>
    <message>
        <source>Back to the panel</source>
        <translation>Zurück zum Koordinationsbereich</translation>
    </message>
    <message>
        <source>Save (Enter)</source>
        <translation>Speichern (Enter)</translation>
    </message>
    <message>
        <source>Save this entry</source>
        <translation>Diesen Eintrag speichern</translation>
    </message>
    <message>
        <source>Undo the last entry</source>
        <translation>Letzten Eintrag zurücknehmen</translation>
    </message>
    <message>
        <source>Last entries on this screen</source>
        <translation>Letzte Einträge auf diesem Bildschirm</translation>
    </message>
    <message>
        <source>Kept on this screen only, and wiped when it is left idle.</source>
        <translation>Nur hier zu sehen und gelöscht, sobald der Bildschirm unbenutzt bleibt.</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>Gespeichert: %1</translation>
    </message>
    <message>
        <source>That entry cannot be withdrawn any more.</source>
        <translation>Dieser Eintrag kann nicht mehr zurückgenommen werden.</translation>
    </message>
    <message>
        <source>Withdrawn: %1</source>
        <translation>Zurückgenommen: %1</translation>
    </message>
    <message>
        <source>Not saved: please check what is marked.</source>
        <translation>Nicht gespeichert: Bitte prüfen Sie die markierten Angaben.</translation>
    </message>
    <message>
        <source>Not saved.</source>
        <translation>Nicht gespeichert.</translation>
    </message>
</context>
<context>
    <name>EventStep</name>
    <message>
        <source>Where are you collecting signatures today? Every signature records its event. Events can also be added and chosen later in the coordinator&apos;s panel (Events).</source>
        <translation>Wo sammeln Sie heute Unterschriften? Jede Unterschrift hält ihre Veranstaltung fest. Veranstaltungen lassen sich auch später im Koordinationsbereich (Veranstaltungen) anlegen und auswählen.</translation>
    </message>
    <message>
        <source>Event name</source>
        <translation>Name der Veranstaltung</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>e.g. Vigil at the courthouse</source>
        <translation>z. B. Mahnwache am Gericht</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>In kiosk mode the coordinator&apos;s panel is hidden from signers: hold the top-left corner of the screen for %1 seconds, then type the coordinator PIN.</source>
        <translation>Im Kioskmodus ist der Koordinationsbereich vor Unterschreibenden verborgen: Halten Sie die obere linke Ecke des Bildschirms %1 Sekunden lang gedrückt und geben Sie dann die Koordinations-PIN ein.</translation>
    </message>
    <message>
        <source>Today&apos;s event (optional)</source>
        <translation>Heutige Veranstaltung (optional)</translation>
    </message>
    <message>
        <source>Give the event a name, or Skip to go without one.</source>
        <translation>Geben Sie der Veranstaltung einen Namen oder wählen Sie „Überspringen“, um ohne sie fortzufahren.</translation>
    </message>
</context>
<context>
    <name>EventsSection</name>
    <message>
        <source>Events</source>
        <translation>Veranstaltungen</translation>
    </message>
    <message>
        <source>Every new signature records the active event: where and when it was gathered.</source>
        <translation>Jede neue Unterschrift speichert die aktive Veranstaltung: wo und wann sie gesammelt wurde.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Save as a new event</source>
        <translation>Als neue Veranstaltung speichern</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>Änderungen speichern</translation>
    </message>
    <message>
        <source>Make active</source>
        <translation>Aktiv setzen</translation>
    </message>
    <message>
        <source>No event</source>
        <translation>Keine Veranstaltung</translation>
    </message>
    <message>
        <source>An event needs a name.</source>
        <translation>Eine Veranstaltung braucht einen Namen.</translation>
    </message>
    <message>
        <source>Saved. New signatures now record this event.</source>
        <translation>Gespeichert. Neue Unterschriften speichern jetzt diese Veranstaltung.</translation>
    </message>
    <message>
        <source>Choose an event in the list first.</source>
        <translation>Wählen Sie zuerst eine Veranstaltung in der Liste.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>New signatures now record this event.</source>
        <translation>Neue Unterschriften speichern jetzt diese Veranstaltung.</translation>
    </message>
    <message>
        <source>New signatures record no event.</source>
        <translation>Neue Unterschriften speichern keine Veranstaltung.</translation>
    </message>
</context>
<context>
    <name>HourChart</name>
    <message>
        <source>No signatures yet today</source>
        <translation>Heute noch keine Unterschriften</translation>
    </message>
</context>
<context>
    <name>IdleCountdown</name>
    <message>
        <source>Still there?</source>
        <translation>Sind Sie noch da?</translation>
    </message>
    <message>
        <source>Yes, I am still here</source>
        <translation>Ja, ich bin noch da</translation>
    </message>
    <message numerus="yes">
        <source>To protect your privacy, this screen will be cleared in %Ln second(s).</source>
        <translation>
            <numerusform>Zum Schutz Ihrer Privatsphäre wird diese Anzeige in %Ln Sekunde geleert.</numerusform>
            <numerusform>Zum Schutz Ihrer Privatsphäre wird diese Anzeige in %Ln Sekunden geleert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KeyboardDock</name>
    <message>
        <source>On-screen keyboard</source>
        <translation>Bildschirmtastatur</translation>
    </message>
</context>
<context>
    <name>LanguageStep</name>
    <message>
        <source>Welcome. A few questions and this device is ready to collect signatures. Which language should it start in?</source>
        <translation>Willkommen. Ein paar Fragen, und dieses Gerät ist bereit, Unterschriften zu sammeln. In welcher Sprache soll es starten?</translation>
    </message>
    <message>
        <source>Signers can switch between English, Arabic and German at any moment.</source>
        <translation>Wer unterschreibt, kann jederzeit zwischen Englisch, Arabisch und Deutsch wechseln.</translation>
    </message>
    <message>
        <source>Set up this device</source>
        <translation>Dieses Gerät einrichten</translation>
    </message>
</context>
<context>
    <name>LetterPage</name>
    <message>
        <source>Petition letter</source>
        <translation>Petitionsschreiben</translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation>Koordination</translation>
    </message>
    <message>
        <source>Other petitions</source>
        <translation>Andere Petitionen</translation>
    </message>
    <message>
        <source>Sign the letter</source>
        <translation>Brief unterschreiben</translation>
    </message>
    <message>
        <source>Sign on your phone</source>
        <translation>Mit dem Handy unterschreiben</translation>
    </message>
    <message>
        <source>Read the full letter on your phone</source>
        <translation>Den ganzen Brief auf dem Handy lesen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln Unterschrift auf diesem Gerät</numerusform>
            <numerusform>%Ln Unterschriften auf diesem Gerät</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogSection</name>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Enrollment, syncs, exports, purges, wrong PINs and set-asides. The log holds no personal data.</source>
        <translation>Anmeldung, Synchronisierungen, Exporte, Löschungen, falsche PINs und Zurückstellungen. Das Protokoll enthält keine personenbezogenen Daten.</translation>
    </message>
    <message>
        <source>Copy diagnostics</source>
        <translation>Diagnosebericht kopieren</translation>
    </message>
    <message>
        <source>Save diagnostics…</source>
        <translation>Diagnosebericht speichern…</translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>Diagnosebericht speichern</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Textdateien (*.txt)</translation>
    </message>
    <message>
        <source>Diagnostics copied. Paste them into a message to whoever helps you with this device: they hold no personal data.</source>
        <translation>Diagnosebericht kopiert. Fügen Sie ihn in eine Nachricht an die Person ein, die Ihnen mit diesem Gerät hilft: Er enthält keine personenbezogenen Daten.</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1. They hold no personal data.</source>
        <translation>Diagnosebericht in %1 gespeichert. Er enthält keine personenbezogenen Daten.</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>Das hat nicht geklappt: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Signing is paused on this device</source>
        <translation>Unterschreiben ist auf diesem Gerät gerade nicht möglich</translation>
    </message>
    <message>
        <source>This petition protects the names of everyone who signs by encrypting them for the campaign&apos;s server, and this device has not received that key yet. Please ask a volunteer.</source>
        <translation>Diese Petition schützt die Namen aller Unterzeichnenden, indem sie sie für den Server der Kampagne verschlüsselt, und dieses Gerät hat den Schlüssel dafür noch nicht erhalten. Bitte wenden Sie sich an eine Helferin oder einen Helfer.</translation>
    </message>
    <message>
        <source>Coordinator: open the panel and enroll this device with the campaign&apos;s server (Settings, Server and enrollment): the key comes with the enrollment.</source>
        <translation>Für die Koordination: Öffnen Sie das Bedienfeld und melden Sie dieses Gerät beim Server der Kampagne an (Einstellungen, Server und Anmeldung): Der Schlüssel kommt mit der Anmeldung.</translation>
    </message>
    <message>
        <source>Petition Kiosk</source>
        <translation>Petitions-Kiosk</translation>
    </message>
    <message>
        <source>Signing is paused on this device: this petition must encrypt your details and the key is missing. Nothing you typed is lost: please tell a volunteer.</source>
        <translation>Unterschreiben ist auf diesem Gerät gerade nicht möglich: Diese Petition muss Ihre Angaben verschlüsseln, und der Schlüssel fehlt. Nichts von Ihrer Eingabe geht verloren: Bitte sagen Sie einer Helferin oder einem Helfer Bescheid.</translation>
    </message>
    <message>
        <source>Your signature could not be saved on this device. Nothing you typed is lost: please tell a volunteer, then try again.</source>
        <translation>Ihre Unterschrift konnte auf diesem Gerät nicht gespeichert werden. Ihre Eingaben bleiben erhalten: Bitte sagen Sie einer Helferin oder einem Helfer Bescheid und versuchen Sie es dann noch einmal.</translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>OverviewSection</name>
    <message>
        <source>Overview</source>
        <translation>Überblick</translation>
    </message>
    <message>
        <source>Signatures per hour, today</source>
        <translation>Unterschriften pro Stunde, heute</translation>
    </message>
    <message>
        <source>Type for people in a queue</source>
        <translation>Für Wartende eintragen</translation>
    </message>
    <message>
        <source>Type in paper sheets</source>
        <translation>Papierbögen eintragen</translation>
    </message>
    <message>
        <source>signed today</source>
        <translation>heute unterschrieben</translation>
    </message>
    <message>
        <source>at this event</source>
        <translation>bei dieser Veranstaltung</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>warten auf das Senden</translation>
    </message>
    <message>
        <source>sent to the server</source>
        <translation>an den Server gesendet</translation>
    </message>
    <message>
        <source>need attention</source>
        <translation>brauchen Aufmerksamkeit</translation>
    </message>
    <message>
        <source>set aside</source>
        <translation>zurückgestellt</translation>
    </message>
    <message>
        <source>No active event. Choose one under Events.</source>
        <translation>Keine aktive Veranstaltung. Wählen Sie eine unter Veranstaltungen.</translation>
    </message>
    <message>
        <source>Active event: %1</source>
        <translation>Aktive Veranstaltung: %1</translation>
    </message>
    <message>
        <source>%1: %2 today, %3 at this event</source>
        <translation>%1: %2 heute, %3 bei dieser Veranstaltung</translation>
    </message>
    <message>
        <source>the server counts %1</source>
        <translation>der Server zählt %1</translation>
    </message>
    <message>
        <source>Last sync: never</source>
        <translation>Letzte Synchronisierung: noch nie</translation>
    </message>
    <message>
        <source>Last sync: %1, %2, %3 sent</source>
        <translation>Letzte Synchronisierung: %1, %2, %3 gesendet</translation>
    </message>
    <message>
        <source>Device clock: not checked by the server yet</source>
        <translation>Geräteuhr: vom Server noch nicht geprüft</translation>
    </message>
    <message>
        <source>Device clock: right (as the server saw it at the last sync)</source>
        <translation>Geräteuhr: richtig (laut Server bei der letzten Synchronisierung)</translation>
    </message>
    <message numerus="yes">
        <source>Device clock: %Ln second(s) behind the server</source>
        <translation>
            <numerusform>Geräteuhr: %Ln Sekunde hinter dem Server</numerusform>
            <numerusform>Geräteuhr: %Ln Sekunden hinter dem Server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Device clock: %Ln second(s) ahead of the server</source>
        <translation>
            <numerusform>Geräteuhr: %Ln Sekunde vor dem Server</numerusform>
            <numerusform>Geräteuhr: %Ln Sekunden vor dem Server</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Panel</name>
    <message>
        <source>No.</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>Kampagne</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>Unterschrieben</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Doppelt</translation>
    </message>
    <message>
        <source>Need attention</source>
        <translation>Brauchen Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Still pending</source>
        <translation>Noch wartend</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Herkunft</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>Sprachen</translation>
    </message>
    <message>
        <source>Not reviewed by a native speaker yet: %1. Until then the form shows the English consent text under the translation.</source>
        <translation>Noch nicht von Muttersprachlern geprüft: %1. Bis dahin zeigt das Formular den englischen Einwilligungstext unter der Übersetzung an.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>The server already has a different signature with the same id. The server keeps its copy.</source>
        <translation>Der Server hat bereits eine andere Unterschrift mit derselben Kennung. Der Server behält seine Fassung.</translation>
    </message>
    <message>
        <source>The campaign is closed on the server and takes no more signatures.</source>
        <translation>Die Kampagne ist auf dem Server geschlossen und nimmt keine Unterschriften mehr an.</translation>
    </message>
    <message>
        <source>The server does not know this campaign. Publish it on the server, then retry.</source>
        <translation>Der Server kennt diese Kampagne nicht. Veröffentlichen Sie sie auf dem Server und senden Sie erneut.</translation>
    </message>
    <message>
        <source>The server does not know this version of the campaign. Publish it on the server, then retry.</source>
        <translation>Der Server kennt diese Version der Kampagne nicht. Veröffentlichen Sie sie auf dem Server und senden Sie erneut.</translation>
    </message>
    <message>
        <source>The same signature was sent twice at once. Retry.</source>
        <translation>Dieselbe Unterschrift wurde zweimal gleichzeitig gesendet. Bitte erneut senden.</translation>
    </message>
    <message>
        <source>This signature is larger than the server accepts.</source>
        <translation>Diese Unterschrift ist größer, als der Server annimmt.</translation>
    </message>
    <message>
        <source>This withdrawal names a signature another device collected; only that device can withdraw it.</source>
        <translation>Diese Rücknahme nennt eine Unterschrift, die ein anderes Gerät gesammelt hat; nur jenes Gerät kann sie zurücknehmen.</translation>
    </message>
    <message>
        <source>Set aside by a coordinator.</source>
        <translation>Von der Koordination zurückgestellt.</translation>
    </message>
    <message>
        <source>The server refused this signature without a reason.</source>
        <translation>Der Server hat diese Unterschrift ohne Grund abgelehnt.</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>server not reachable</source>
        <translation>Server nicht erreichbar</translation>
    </message>
    <message>
        <source>refused by the server</source>
        <translation>vom Server abgelehnt</translation>
    </message>
    <message>
        <source>device must be enrolled again</source>
        <translation>Gerät muss neu angemeldet werden</translation>
    </message>
    <message>
        <source>device not enrolled</source>
        <translation>Gerät nicht angemeldet</translation>
    </message>
    <message>
        <source>another program is sending</source>
        <translation>ein anderes Programm sendet gerade</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>The server did not answer. Check the network (a venue&apos;s Wi-Fi may first want a login page in a browser), then press Sync now. Nothing is lost: the signatures wait on this device.</source>
        <translation>Der Server hat nicht geantwortet. Prüfen Sie das Netz (das WLAN eines Veranstaltungsorts verlangt oft zuerst eine Anmeldeseite im Browser) und tippen Sie dann auf „Jetzt senden“. Nichts geht verloren: Die Unterschriften warten auf diesem Gerät.</translation>
    </message>
    <message>
        <source>The server refused the request. The app retries by itself; if this stays, send the diagnostics (Log) to the server&apos;s operator.</source>
        <translation>Der Server hat die Anfrage abgelehnt. Die App versucht es von selbst erneut; bleibt es so, senden Sie die Diagnose (Protokoll) an den Serverbetrieb.</translation>
    </message>
    <message>
        <source>The server no longer accepts this device. Ask its operator for a new enrollment code and enroll again (Settings); the waiting signatures go with the next sync.</source>
        <translation>Der Server nimmt dieses Gerät nicht mehr an. Bitten Sie den Serverbetrieb um einen neuen Anmeldecode und melden Sie das Gerät erneut an (Einstellungen); die wartenden Unterschriften gehen mit der nächsten Synchronisierung.</translation>
    </message>
    <message>
        <source>This device is not enrolled with a server. Enroll it (Settings), or carry the signatures in a hand-off file.</source>
        <translation>Dieses Gerät ist bei keinem Server angemeldet. Melden Sie es an (Einstellungen) oder bringen Sie die Unterschriften in einer Übergabedatei hin.</translation>
    </message>
    <message>
        <source>Another copy of the app is sending from this device right now. Wait for it, or close it.</source>
        <translation>Eine andere Kopie der App sendet gerade von diesem Gerät. Warten Sie darauf oder schließen Sie sie.</translation>
    </message>
    <message>
        <source>Please give this device a name.</source>
        <translation>Bitte geben Sie diesem Gerät einen Namen.</translation>
    </message>
    <message>
        <source>A device name has at most 64 characters.</source>
        <translation>Ein Gerätename hat höchstens 64 Zeichen.</translation>
    </message>
    <message>
        <source>The name contains invisible or control characters.</source>
        <translation>Der Name enthält unsichtbare Zeichen oder Steuerzeichen.</translation>
    </message>
    <message>
        <source>Enrolled with a server</source>
        <translation>Bei einem Server angemeldet</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Synchronisierung</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Personal data purged</source>
        <translation>Personenbezogene Daten gelöscht</translation>
    </message>
    <message>
        <source>Wrong coordinator PIN</source>
        <translation>Falsche Koordinations-PIN</translation>
    </message>
    <message>
        <source>Coordinator PIN changed</source>
        <translation>Koordinations-PIN geändert</translation>
    </message>
    <message>
        <source>Coordinator PIN chosen</source>
        <translation>Koordinations-PIN festgelegt</translation>
    </message>
    <message>
        <source>Device set up</source>
        <translation>Gerät eingerichtet</translation>
    </message>
    <message>
        <source>Campaign imported</source>
        <translation>Kampagne importiert</translation>
    </message>
    <message>
        <source>The server&apos;s version has other texts</source>
        <translation>Die Version des Servers hat andere Texte</translation>
    </message>
    <message>
        <source>Campaign version refused: not vouched for by the server</source>
        <translation>Kampagnenversion abgelehnt: vom Server nicht verbürgt</translation>
    </message>
    <message>
        <source>Campaign version set aside: not vouched for by the server</source>
        <translation>Kampagnenversion beiseitegelegt: vom Server nicht verbürgt</translation>
    </message>
    <message>
        <source>Panel opened</source>
        <translation>Bereich geöffnet</translation>
    </message>
    <message>
        <source>Set aside</source>
        <translation>Zurückstellen</translation>
    </message>
    <message>
        <source>Sent again</source>
        <translation>Erneut gesendet</translation>
    </message>
    <message>
        <source>Event created</source>
        <translation>Veranstaltung angelegt</translation>
    </message>
    <message>
        <source>Event changed</source>
        <translation>Veranstaltung geändert</translation>
    </message>
    <message>
        <source>Active event chosen</source>
        <translation>Aktive Veranstaltung gewählt</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>Einstellungen geändert</translation>
    </message>
    <message>
        <source>Sealing key received</source>
        <translation>Versiegelungsschlüssel erhalten</translation>
    </message>
    <message>
        <source>Paper sheets imported</source>
        <translation>Papierbögen importiert</translation>
    </message>
    <message>
        <source>Hand-off file written</source>
        <translation>Übergabedatei geschrieben</translation>
    </message>
    <message>
        <source>Hand-off receipt read</source>
        <translation>Übergabe-Quittung gelesen</translation>
    </message>
    <message>
        <source>Hand-off receipt refused</source>
        <translation>Übergabe-Quittung abgelehnt</translation>
    </message>
    <message>
        <source>Diagnostics copied</source>
        <translation>Diagnosebericht kopiert</translation>
    </message>
    <message>
        <source>Diagnostics saved to a file</source>
        <translation>Diagnosebericht in eine Datei gespeichert</translation>
    </message>
    <message>
        <source>A duplicate of another signature</source>
        <translation>Doppelt zu einer anderen Unterschrift</translation>
    </message>
    <message>
        <source>A test entry</source>
        <translation>Ein Testeintrag</translation>
    </message>
    <message>
        <source>The signer withdrew</source>
        <translation>Die Person hat zurückgezogen</translation>
    </message>
    <message>
        <source>Cannot be fixed</source>
        <translation>Nicht zu beheben</translation>
    </message>
    <message>
        <source>Other (see note)</source>
        <translation>Anderes (siehe Notiz)</translation>
    </message>
    <message>
        <source>The server address must start with https:// (or http:// on a local network).</source>
        <translation>Die Serveradresse muss mit https:// beginnen (oder mit http:// in einem lokalen Netzwerk).</translation>
    </message>
    <message>
        <source>Type the enrollment code, or paste the text of the QR code.</source>
        <translation>Geben Sie den Anmeldecode ein oder fügen Sie den Text des QR-Codes ein.</translation>
    </message>
    <message>
        <source>The enrollment code has 12 letters and digits, for example K7QM-2XPA-9RTF.</source>
        <translation>Der Anmeldecode besteht aus 12 Buchstaben und Ziffern, zum Beispiel K7QM-2XPA-9RTF.</translation>
    </message>
    <message>
        <source>This is not the text of a Petition Kiosk enrollment QR code.</source>
        <translation>Das ist nicht der Text eines Anmelde-QR-Codes des Petitions-Kiosks.</translation>
    </message>
    <message>
        <source>This QR code was made by a newer server. Update the app, then enroll again.</source>
        <translation>Dieser QR-Code stammt von einem neueren Server. Aktualisieren Sie die App und melden Sie das Gerät dann erneut an.</translation>
    </message>
    <message>
        <source>The text of this QR code is incomplete or damaged. Copy it again.</source>
        <translation>Der Text dieses QR-Codes ist unvollständig oder beschädigt. Kopieren Sie ihn noch einmal.</translation>
    </message>
    <message>
        <source>Use https:// for a server outside your local network: http:// would send signers&apos; data unencrypted.</source>
        <translation>Verwenden Sie https:// für einen Server außerhalb Ihres lokalen Netzwerks: Mit http:// würden die Daten der Unterzeichnenden unverschlüsselt übertragen.</translation>
    </message>
    <message>
        <source>No Petition Kiosk server answered at this address. Check the address and the network connection, then try again.</source>
        <translation>Unter dieser Adresse hat kein Petitions-Kiosk-Server geantwortet. Prüfen Sie die Adresse und die Netzwerkverbindung und versuchen Sie es dann noch einmal.</translation>
    </message>
    <message>
        <source>The server refused this code: it is wrong, already used or expired. Ask the server&apos;s operator for a new one.</source>
        <translation>Der Server hat diesen Code abgelehnt: Er ist falsch, schon benutzt oder abgelaufen. Bitten Sie den Serverbetrieb um einen neuen.</translation>
    </message>
    <message>
        <source>The server&apos;s operator has revoked this device. Ask for a new enrollment code.</source>
        <translation>Der Serverbetrieb hat dieses Gerät gesperrt. Bitten Sie um einen neuen Anmeldecode.</translation>
    </message>
    <message>
        <source>The server needs a newer version of this app. Update it, then enroll again.</source>
        <translation>Der Server braucht eine neuere Version dieser App. Aktualisieren Sie sie und melden Sie das Gerät dann erneut an.</translation>
    </message>
    <message>
        <source>The server refused the enrollment.</source>
        <translation>Der Server hat die Anmeldung abgelehnt.</translation>
    </message>
    <message>
        <source>Enrollment did not work.</source>
        <translation>Die Anmeldung hat nicht funktioniert.</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>eingebaut</translation>
    </message>
    <message>
        <source>from the server</source>
        <translation>vom Server</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>importiert</translation>
    </message>
    <message>
        <source>The coordinator PIN is shorter than %1 digits, which someone holding this device&apos;s files can find in hours. Choose a longer one: Settings, Change the coordinator PIN.</source>
        <translation>Die Koordinations-PIN hat weniger als %1 Ziffern: Wer die Dateien dieses Geräts hat, findet sie in wenigen Stunden. Wählen Sie eine längere: Einstellungen, Koordinations-PIN ändern.</translation>
    </message>
    <message>
        <source>Checking the campaign…</source>
        <translation>Kampagne wird geprüft…</translation>
    </message>
    <message>
        <source>Import a campaign</source>
        <translation>Kampagne importieren</translation>
    </message>
    <message>
        <source>Campaign bundles (campaign.toml *.zip *.bundle)</source>
        <translation>Kampagnenpakete (campaign.toml *.zip *.bundle)</translation>
    </message>
    <message>
        <source>This is not a campaign bundle the app can use.</source>
        <translation>Das ist kein Kampagnenpaket, das die App verwenden kann.</translation>
    </message>
</context>
<context>
    <name>PanelPage</name>
    <message>
        <source>Coordinator panel</source>
        <translation>Koordinationsbereich</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>Kioskmodus verlassen</translation>
    </message>
    <message>
        <source>Back to signing</source>
        <translation>Zurück zum Unterschreiben</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Bereiche</translation>
    </message>
    <message>
        <source>%1 is not enrolled with a server.</source>
        <translation>%1 ist bei keinem Server angemeldet.</translation>
    </message>
    <message>
        <source>This device is not enrolled with a server.</source>
        <translation>Dieses Gerät ist bei keinem Server angemeldet.</translation>
    </message>
    <message>
        <source>%1: the server refused this device. Enroll it again.</source>
        <translation>%1: Der Server hat dieses Gerät abgewiesen. Bitte neu anmelden.</translation>
    </message>
    <message>
        <source>%1, enrolled with %2</source>
        <translation>%1, angemeldet bei %2</translation>
    </message>
</context>
<context>
    <name>PaperPage</name>
    <message>
        <source>Type each signed line of a sheet. The sheet number and its date stay for the next line; Enter saves. Consent was given on the sheet, which carries the consent text.</source>
        <translation>Tragen Sie jede unterschriebene Zeile eines Bogens ein. Bogennummer und Datum bleiben für die nächste Zeile stehen; die Eingabetaste speichert. Die Einwilligung wurde auf dem Bogen gegeben, der den Einwilligungstext enthält.</translation>
    </message>
    <message>
        <source>Sheet number</source>
        <translation>Bogennummer</translation>
    </message>
    <message>
        <source>Signed on (the date on the sheet)</source>
        <translation>Unterschrieben am (Datum auf dem Bogen)</translation>
    </message>
    <message>
        <source>Signed on</source>
        <translation>Unterschrieben am</translation>
    </message>
    <message>
        <source>Paper sheets: %1</source>
        <translation>Papierbögen: %1</translation>
    </message>
    <message>
        <source>“Keep me informed” is ticked on the sheet</source>
        <translation>„Auf dem Laufenden halten“ ist auf dem Bogen angekreuzt</translation>
    </message>
    <message>
        <source>Already on this device (typed or imported before): nothing new was saved. If it is another person with the same details, press Enter again.</source>
        <translation>Bereits auf diesem Gerät (früher eingetragen oder importiert): Es wurde nichts Neues gespeichert. Ist es eine andere Person mit denselben Angaben, drücken Sie noch einmal die Eingabetaste.</translation>
    </message>
    <message>
        <source>The date on the sheet cannot be in the future.</source>
        <translation>Das Datum auf dem Bogen kann nicht in der Zukunft liegen.</translation>
    </message>
    <message>
        <source>This petition asks for a signature drawn on the screen, so its paper sheets cannot be typed in here.</source>
        <translation>Diese Petition verlangt eine auf dem Bildschirm gezeichnete Unterschrift, daher können ihre Papierbögen hier nicht eingetragen werden.</translation>
    </message>
</context>
<context>
    <name>PaperSheets</name>
    <message>
        <source>Sheet %1</source>
        <translation>Bogen %1</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Datum:</translation>
    </message>
    <message>
        <source>Place:</source>
        <translation>Ort:</translation>
    </message>
    <message>
        <source>By ticking “I agree” on a row, the person on that row agrees:</source>
        <translation>Wer in seiner Zeile „Ich stimme zu“ ankreuzt, erklärt:</translation>
    </message>
    <message>
        <source>Ticking “Keep me informed” (optional) means:</source>
        <translation>„Auf dem Laufenden halten“ anzukreuzen (freiwillig) heißt:</translation>
    </message>
    <message>
        <source>Each partner organisation has its own column (optional). Ticking it means:</source>
        <translation>Jede Partnerorganisation hat eine eigene Spalte (freiwillig). Sie anzukreuzen heißt:</translation>
    </message>
    <message>
        <source>The original (English) text:</source>
        <translation>Der Originaltext (Englisch):</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>I agree *</source>
        <translation>Ich stimme zu *</translation>
    </message>
    <message>
        <source>Keep me informed</source>
        <translation>Auf dem Laufenden halten</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Unterschrift</translation>
    </message>
    <message>
        <source>* required. Only rows with “I agree” ticked count.</source>
        <translation>* Pflichtangabe. Es zählen nur Zeilen, in denen „Ich stimme zu“ angekreuzt ist.</translation>
    </message>
    <message>
        <source>%1, version %2 · sheet %3 · type it in under Coordinator panel → Type in paper sheets</source>
        <translation>%1, Version %2 · Bogen %3 · einzutragen unter Koordinationsbereich → Papierbögen eintragen</translation>
    </message>
</context>
<context>
    <name>PhonesSection</name>
    <message>
        <source>Phones can sign</source>
        <translation>Handys unterschreiben</translation>
    </message>
    <message>
        <source>Phones at the stand sign through this laptop&apos;s own page, with no internet: they join the Wi-Fi below, then open the petition from the QR code on the kiosk&apos;s screen or on the poster. Kiosk mode stays locked while phones sign.</source>
        <translation>Handys am Stand unterschreiben über die eigene Seite dieses Laptops, ohne Internet: Sie treten dem WLAN unten bei und öffnen dann die Petition über den QR-Code auf dem Bildschirm des Kiosks oder auf dem Plakat. Der Kioskmodus bleibt gesperrt, während Handys unterschreiben.</translation>
    </message>
    <message>
        <source>Where phones reach this laptop</source>
        <translation>Wo Handys diesen Laptop erreichen</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>The phones&apos; Wi-Fi</source>
        <translation>Das WLAN der Handys</translation>
    </message>
    <message>
        <source>Make a hotspot</source>
        <translation>Hotspot einrichten</translation>
    </message>
    <message>
        <source>Stop the hotspot</source>
        <translation>Hotspot beenden</translation>
    </message>
    <message>
        <source>Let older phones join too (WPA2)</source>
        <translation>Auch ältere Telefone zulassen (WPA2)</translation>
    </message>
    <message>
        <source>Wi-Fi name</source>
        <translation>WLAN-Name</translation>
    </message>
    <message>
        <source>Wi-Fi password</source>
        <translation>WLAN-Passwort</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>WPA2, or WPA2/WPA3 mixed</source>
        <translation>WPA2 oder WPA2/WPA3 gemischt</translation>
    </message>
    <message>
        <source>WPA3 only</source>
        <translation>Nur WPA3</translation>
    </message>
    <message>
        <source>Open (no password)</source>
        <translation>Offen (ohne Passwort)</translation>
    </message>
    <message>
        <source>The network the phones join, e.g. the venue&apos;s</source>
        <translation>Das Netz, dem die Handys beitreten, z. B. das des Veranstaltungsorts</translation>
    </message>
    <message>
        <source>Save the Wi-Fi</source>
        <translation>WLAN speichern</translation>
    </message>
    <message>
        <source>Turn on</source>
        <translation>Einschalten</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <source>New access token</source>
        <translation>Neuer Zugangsschlüssel</translation>
    </message>
    <message>
        <source>Print poster…</source>
        <translation>Plakat drucken…</translation>
    </message>
    <message>
        <source>Poster language</source>
        <translation>Sprache des Plakats</translation>
    </message>
    <message>
        <source>%1 (not on this machine now)</source>
        <translation>%1 (derzeit nicht auf diesem Gerät)</translation>
    </message>
    <message>
        <source>Off. This window cannot serve phones.</source>
        <translation>Aus. Dieses Fenster kann keine Handys bedienen.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Startet…</translation>
    </message>
    <message>
        <source>On: phones open %1</source>
        <translation>An: Handys öffnen %1</translation>
    </message>
    <message>
        <source>Could not start: %1</source>
        <translation>Konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>Off.</source>
        <translation>Aus.</translation>
    </message>
    <message>
        <source>This machine has no network address to serve on.</source>
        <translation>Dieses Gerät hat keine Netzwerkadresse, unter der es erreichbar wäre.</translation>
    </message>
    <message>
        <source>A new access token: the old codes and posters no longer open the petition. Print the poster again.</source>
        <translation>Ein neuer Zugangsschlüssel: Die alten Codes und Plakate öffnen die Petition nicht mehr. Drucken Sie das Plakat neu.</translation>
    </message>
    <message>
        <source>This laptop&apos;s Wi-Fi could not make a WPA3 network, so the hotspot uses WPA2. With the password on the poster, someone on the hotspot could read what phones send.</source>
        <translation>Das WLAN dieses Laptops konnte kein WPA3-Netz einrichten, deshalb nutzt der Hotspot WPA2. Da das Passwort auf dem Plakat steht, könnte jemand im Hotspot mitlesen, was die Handys senden.</translation>
    </message>
    <message>
        <source>The hotspot uses WPA2 so that older phones can join: with the password on the poster, someone on it could read what phones send.</source>
        <translation>Der Hotspot nutzt WPA2, damit auch ältere Telefone beitreten können: Da das Passwort auf dem Plakat steht, könnte jemand im Hotspot lesen, was Telefone senden.</translation>
    </message>
    <message>
        <source>The hotspot uses WPA2: with the password on the poster, someone on it could read what phones send.</source>
        <translation>Der Hotspot nutzt WPA2: Da das Passwort auf dem Plakat steht, könnte jemand im Hotspot mitlesen, was die Handys senden.</translation>
    </message>
    <message>
        <source>Making the hotspot…</source>
        <translation>Hotspot wird eingerichtet…</translation>
    </message>
    <message>
        <source>Hotspot %1 is on.</source>
        <translation>Hotspot %1 ist an.</translation>
    </message>
    <message>
        <source>NetworkManager (nmcli) is not installed: type the Wi-Fi&apos;s name and password below instead.</source>
        <translation>NetworkManager (nmcli) ist nicht installiert: Geben Sie stattdessen unten Name und Passwort des WLANs ein.</translation>
    </message>
    <message>
        <source>This laptop has no Wi-Fi device NetworkManager can use.</source>
        <translation>Dieser Laptop hat kein WLAN-Gerät, das NetworkManager nutzen kann.</translation>
    </message>
    <message>
        <source>This laptop&apos;s Wi-Fi cannot make a hotspot: type the name and password of another Wi-Fi below.</source>
        <translation>Das WLAN dieses Laptops kann keinen Hotspot einrichten: Geben Sie unten Name und Passwort eines anderen WLANs ein.</translation>
    </message>
    <message>
        <source>The hotspot did not start: %1</source>
        <translation>Der Hotspot ist nicht gestartet: %1</translation>
    </message>
    <message>
        <source>The hotspot is off. Phones on it can no longer reach this laptop.</source>
        <translation>Der Hotspot ist aus. Handys darin erreichen diesen Laptop nicht mehr.</translation>
    </message>
    <message>
        <source>The hotspot did not stop: %1</source>
        <translation>Der Hotspot wurde nicht beendet: %1</translation>
    </message>
    <message>
        <source>A Wi-Fi password has 8 to 63 characters.</source>
        <translation>Ein WLAN-Passwort hat 8 bis 63 Zeichen.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Saved: no Wi-Fi code is shown; phones join the venue&apos;s network by hand.</source>
        <translation>Gespeichert: Es wird kein WLAN-Code gezeigt; Handys treten dem Netz des Veranstaltungsorts von Hand bei.</translation>
    </message>
    <message>
        <source>Save the poster</source>
        <translation>Plakat speichern</translation>
    </message>
    <message>
        <source>Writing the poster…</source>
        <translation>Plakat wird geschrieben…</translation>
    </message>
    <message>
        <source>Poster saved: %1</source>
        <translation>Plakat gespeichert: %1</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>Das hat nicht funktioniert: %1</translation>
    </message>
</context>
<context>
    <name>PickerPage</name>
    <message>
        <source>Choose a petition to sign</source>
        <translation>Wählen Sie eine Petition aus</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln Unterschrift auf diesem Gerät</numerusform>
            <numerusform>%Ln Unterschriften auf diesem Gerät</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Coordinator PIN</source>
        <translation>Koordinations-PIN</translation>
    </message>
    <message>
        <source>Choose a coordinator PIN (%1 to %2 digits)</source>
        <translation>Wählen Sie eine Koordinations-PIN (%1 bis %2 Ziffern)</translation>
    </message>
    <message>
        <source>Type the new PIN again</source>
        <translation>Geben Sie die neue PIN noch einmal ein</translation>
    </message>
    <message>
        <source>A PIN has %1 to %2 digits.</source>
        <translation>Eine PIN hat %1 bis %2 Ziffern.</translation>
    </message>
    <message>
        <source>The two PINs were not the same. Please start again.</source>
        <translation>Die beiden PINs stimmen nicht überein. Bitte fangen Sie noch einmal an.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Diese PIN ist nicht richtig.</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in %Ln second(s).</source>
        <translation>
            <numerusform>Zu viele falsche PINs. Versuchen Sie es in %Ln Sekunde noch einmal.</numerusform>
            <numerusform>Zu viele falsche PINs. Versuchen Sie es in %Ln Sekunden noch einmal.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinStep</name>
    <message>
        <source>This device already has a coordinator PIN, and it stays as it is. To change it, open the coordinator&apos;s panel (Settings), which asks for the current PIN first.</source>
        <translation>Dieses Gerät hat bereits eine Koordinations-PIN, und sie bleibt, wie sie ist. Um sie zu ändern, öffnen Sie den Koordinationsbereich (Einstellungen), der zuerst nach der aktuellen PIN fragt.</translation>
    </message>
    <message>
        <source>It opens the coordinator&apos;s panel, exports and deletes data, and is the only way out of kiosk mode. Signers never need it. Keep it somewhere safe: nobody can read it back from this device.</source>
        <translation>Sie öffnet den Koordinationsbereich, exportiert und löscht Daten und ist der einzige Weg aus dem Kioskmodus. Wer unterschreibt, braucht sie nie. Bewahren Sie sie sicher auf: Niemand kann sie von diesem Gerät zurücklesen.</translation>
    </message>
    <message>
        <source>✓  The coordinator PIN is chosen.</source>
        <translation>✓  Die Koordinations-PIN ist gewählt.</translation>
    </message>
    <message>
        <source>Choose a different PIN</source>
        <translation>Eine andere PIN wählen</translation>
    </message>
    <message>
        <source>Coordinator PIN</source>
        <translation>Koordinations-PIN</translation>
    </message>
</context>
<context>
    <name>PrintSheetsDialog</name>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Number of sheets</source>
        <translation>Anzahl der Bögen</translation>
    </message>
    <message>
        <source>First sheet number</source>
        <translation>Nummer des ersten Bogens</translation>
    </message>
    <message>
        <source>Paper size</source>
        <translation>Papierformat</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Als PDF speichern…</translation>
    </message>
    <message>
        <source>Number the sheets on from the last batch you printed, so no two sheets share a number.</source>
        <translation>Nummerieren Sie die Bögen ab dem letzten gedruckten Stapel weiter, damit keine zwei Bögen dieselbe Nummer tragen.</translation>
    </message>
    <message>
        <source>Print paper sheets</source>
        <translation>Papierbögen drucken</translation>
    </message>
    <message>
        <source>Save the paper sheets</source>
        <translation>Papierbögen speichern</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>Das PDF wird geschrieben…</translation>
    </message>
    <message>
        <source>Sheets %1 to %2 written to %3.</source>
        <translation>Bögen %1 bis %2 in %3 geschrieben.</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>Das hat nicht geklappt: %1</translation>
    </message>
</context>
<context>
    <name>RecentModel</name>
    <message>
        <source>withdrawn</source>
        <translation>zurückgenommen</translation>
    </message>
    <message>
        <source>Withdrawn with Undo: it is sent to the server as a withdrawal.</source>
        <translation>Mit „Letzten Eintrag zurücknehmen“ widerrufen: Das wird als Widerruf an den Server gesendet.</translation>
    </message>
</context>
<context>
    <name>ServerStep</name>
    <message>
        <source>Does your organisation run a Petition Kiosk server? Enrolled with it, this device sends its signatures whenever it has a network, and signers&apos; details are sealed so that this device cannot read them back.</source>
        <translation>Betreibt Ihre Organisation einen Petition-Kiosk-Server? Dort angemeldet, sendet dieses Gerät seine Unterschriften, sobald es ein Netz hat, und die Angaben der Unterzeichnenden werden versiegelt, sodass dieses Gerät sie nicht mehr lesen kann.</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation>Anmeldecode</translation>
    </message>
    <message>
        <source>No server, or no network here? Skip: this device collects signatures all the same, and you can enroll it later in the coordinator&apos;s panel (Settings). Once enrolled, it can also carry its signatures to the server on a USB stick (hand-off files) where there is no network.</source>
        <translation>Kein Server oder hier kein Netz? Überspringen: Dieses Gerät sammelt trotzdem Unterschriften, und Sie können es später im Koordinationsbereich (Einstellungen) anmelden. Einmal angemeldet, kann es seine Unterschriften dort, wo es kein Netz gibt, auch auf einem USB-Stick (Übergabedateien) zum Server bringen.</translation>
    </message>
    <message>
        <source>Server (optional)</source>
        <translation>Server (optional)</translation>
    </message>
</context>
<context>
    <name>SettingsSection</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>Enrollment code or QR text</source>
        <translation>Anmeldecode oder QR-Text</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>Gerätename</translation>
    </message>
    <message>
        <source>Idle reset after (seconds)</source>
        <translation>Zurücksetzen nach Inaktivität (Sekunden)</translation>
    </message>
    <message>
        <source>Keep personal data after sending (days)</source>
        <translation>Personenbezogene Daten nach dem Senden behalten (Tage)</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>On-screen keyboard</source>
        <translation>Bildschirmtastatur</translation>
    </message>
    <message>
        <source>Server and enrollment</source>
        <translation>Server und Anmeldung</translation>
    </message>
    <message>
        <source>This device</source>
        <translation>Dieses Gerät</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Outdoor (high contrast)</source>
        <translation>Draußen (hoher Kontrast)</translation>
    </message>
    <message>
        <source>When there is a touch screen and no keyboard</source>
        <translation>Wenn ein Touchscreen, aber keine Tastatur da ist</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>Immer</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>0 (purge right after sending)</source>
        <translation>0 (sofort nach dem Senden löschen)</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Einstellungen speichern</translation>
    </message>
    <message>
        <source>Change the coordinator PIN</source>
        <translation>Koordinations-PIN ändern</translation>
    </message>
    <message>
        <source>In kiosk mode this panel opens when you hold the top-left corner of the screen for %1 seconds, then type the coordinator PIN. It is the only way out of kiosk mode.</source>
        <translation>Im Kioskmodus öffnet sich dieser Bereich, wenn Sie die linke obere Ecke des Bildschirms %1 Sekunden lang gedrückt halten und dann die Koordinations-PIN eingeben. Nur so lässt sich der Kioskmodus verlassen.</translation>
    </message>
    <message>
        <source>Data on this device</source>
        <translation>Daten auf diesem Gerät</translation>
    </message>
    <message>
        <source>The export file holds the personal data of every signer on this device. Save it only to an encrypted drive, never to a shared folder, and delete it when it has been handed over.</source>
        <translation>Die Exportdatei enthält die personenbezogenen Daten aller Unterzeichnenden auf diesem Gerät. Speichern Sie sie nur auf einem verschlüsselten Datenträger, nie in einem geteilten Ordner, und löschen Sie sie nach der Übergabe.</translation>
    </message>
    <message>
        <source>Export signatures (CSV)</source>
        <translation>Unterschriften exportieren (CSV)</translation>
    </message>
    <message>
        <source>Purge sent personal data now</source>
        <translation>Gesendete personenbezogene Daten jetzt löschen</translation>
    </message>
    <message>
        <source>Not enrolled. Type the server address and the enrollment code from the server&apos;s operator, or paste the QR code&apos;s text.</source>
        <translation>Nicht angemeldet. Geben Sie die Serveradresse und den Anmeldecode vom Serverbetrieb ein, oder fügen Sie den Text des QR-Codes ein.</translation>
    </message>
    <message>
        <source>Enrolled with %1 as %2 since %3.</source>
        <translation>Bei %1 als %2 angemeldet seit %3.</translation>
    </message>
    <message>
        <source>Saved. The on-screen keyboard appears from the next start.</source>
        <translation>Gespeichert. Die Bildschirmtastatur erscheint ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Export signatures</source>
        <translation>Unterschriften exportieren</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Wird exportiert …</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) exported.</source>
        <translation>
            <numerusform>%Ln Unterschrift exportiert.</numerusform>
            <numerusform>%Ln Unterschriften exportiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln of them are sealed: their signers&apos; details are encrypted for the campaign&apos;s server and cannot be read on this device, so the file holds them without names. The server&apos;s operator reads them with the server&apos;s passphrase.</source>
        <translation>
            <numerusform>%Ln davon ist versiegelt: Die Angaben sind für den Server der Kampagne verschlüsselt und auf diesem Gerät nicht lesbar, daher steht die Unterschrift ohne Namen in der Datei. Der Betreiber des Servers liest sie mit dessen Passphrase.</numerusform>
            <numerusform>%Ln davon sind versiegelt: Die Angaben sind für den Server der Kampagne verschlüsselt und auf diesem Gerät nicht lesbar, daher stehen sie ohne Namen in der Datei. Der Betreiber des Servers liest sie mit dessen Passphrase.</numerusform>
        </translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>Datei: %1</translation>
    </message>
    <message numerus="yes">
        <source>Personal data of %Ln sent signature(s) purged.</source>
        <translation>
            <numerusform>Personenbezogene Daten von %Ln gesendeten Unterschrift gelöscht.</numerusform>
            <numerusform>Personenbezogene Daten von %Ln gesendeten Unterschriften gelöscht.</numerusform>
        </translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>Das hat nicht geklappt: %1</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Petition Kiosk</source>
        <translation>Petition Kiosk einrichten</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message>
        <source>Start collecting signatures</source>
        <translation>Unterschriften sammeln</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>The answers could not be saved. Is the disk full?</source>
        <translation>Die Antworten konnten nicht gespeichert werden. Ist der Datenträger voll?</translation>
    </message>
</context>
<context>
    <name>SignPage</name>
    <message>
        <source>Your details stay on this device until they are sent to %1.</source>
        <translation>Ihre Angaben bleiben auf diesem Gerät, bis sie an %1 gesendet werden.</translation>
    </message>
    <message>
        <source>Your signature</source>
        <translation>Ihre Unterschrift</translation>
    </message>
    <message>
        <source>Please sign in the box above: this petition asks for your signature.</source>
        <translation>Bitte unterschreiben Sie im Feld oben: Diese Petition verlangt Ihre Unterschrift.</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>Sign here with your finger</source>
        <translation>Hier mit dem Finger unterschreiben</translation>
    </message>
    <message>
        <source>Handwritten signature</source>
        <translation>Handschriftliche Unterschrift</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>Letzten Strich löschen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Clear the signature</source>
        <translation>Unterschrift löschen</translation>
    </message>
</context>
<context>
    <name>SyncSection</name>
    <message>
        <source>Day-end sync</source>
        <translation>Tagesabschluss senden</translation>
    </message>
    <message>
        <source>Send every signature on this device to the server. Keep the device connected until it is done; you can cancel at any time and nothing is lost.</source>
        <translation>Alle Unterschriften dieses Geräts an den Server senden. Lassen Sie das Gerät verbunden, bis es fertig ist; Sie können jederzeit abbrechen, es geht nichts verloren.</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt senden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Sync history</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>No network? Take the waiting signatures to the server in a hand-off file that only the server can open, then read its receipt here.</source>
        <translation>Kein Netz? Bringen Sie die wartenden Unterschriften in einer Übergabedatei, die nur der Server öffnen kann, zum Server und lesen Sie danach hier seine Empfangsbestätigung ein.</translation>
    </message>
    <message>
        <source>Write a hand-off file…</source>
        <translation>Übergabedatei schreiben…</translation>
    </message>
    <message>
        <source>Read a receipt…</source>
        <translation>Empfangsbestätigung einlesen…</translation>
    </message>
    <message>
        <source>%1 waiting to be sent.</source>
        <translation>%1 warten auf das Senden.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) made on phones wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</source>
        <translation>
            <numerusform>%Ln auf einem Handy geleistete Unterschrift wartet darauf, dass der Server aktualisiert wird (er spricht API-Version %1; sie braucht Version %2). Es geht nichts verloren: Sie wird gesendet, sobald der Server aktualisiert ist.</numerusform>
            <numerusform>%Ln auf Handys geleistete Unterschriften warten darauf, dass der Server aktualisiert wird (er spricht API-Version %1; sie brauchen Version %2). Es geht nichts verloren: Sie werden gesendet, sobald der Server aktualisiert ist.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) with partners&apos; opt-ins wait for the server to be updated (it speaks API version %1; they need version %2). Nothing is lost: they are sent once the server is updated.</source>
        <translation>
            <numerusform>%Ln Unterschrift mit Zustimmungen für Partnerorganisationen wartet darauf, dass der Server aktualisiert wird (er spricht API-Version %1; sie braucht Version %2). Es geht nichts verloren: Sie wird gesendet, sobald der Server aktualisiert ist.</numerusform>
            <numerusform>%Ln Unterschriften mit Zustimmungen für Partnerorganisationen warten darauf, dass der Server aktualisiert wird (er spricht API-Version %1; sie brauchen Version %2). Es geht nichts verloren: Sie werden gesendet, sobald der Server aktualisiert ist.</numerusform>
        </translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet …</translation>
    </message>
    <message>
        <source>Cancelling after the batch being sent…</source>
        <translation>Wird nach dem laufenden Paket abgebrochen …</translation>
    </message>
    <message>
        <source>%1 of %2 sent · %3 per second · about %4 left</source>
        <translation>%1 von %2 gesendet · %3 pro Sekunde · noch etwa %4</translation>
    </message>
    <message>
        <source>The server is busy: sending again in %1 s.</source>
        <translation>Der Server ist ausgelastet: erneutes Senden in %1 s.</translation>
    </message>
    <message>
        <source>%1. Created: %2 · already on the server: %3 · need attention: %4 · still waiting: %5</source>
        <translation>%1. Neu: %2 · schon auf dem Server: %3 · brauchen Aufmerksamkeit: %4 · warten noch: %5</translation>
    </message>
    <message numerus="yes">
        <source>%Ln second(s)</source>
        <translation>
            <numerusform>%Ln Sekunde</numerusform>
            <numerusform>%Ln Sekunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln minute(s)</source>
        <translation>
            <numerusform>%Ln Minute</numerusform>
            <numerusform>%Ln Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>Write a hand-off file</source>
        <translation>Übergabedatei schreiben</translation>
    </message>
    <message>
        <source>Hand-off files (*.handoff)</source>
        <translation>Übergabedateien (*.handoff)</translation>
    </message>
    <message>
        <source>Writing the hand-off file…</source>
        <translation>Die Übergabedatei wird geschrieben…</translation>
    </message>
    <message>
        <source>Read a receipt</source>
        <translation>Empfangsbestätigung einlesen</translation>
    </message>
    <message>
        <source>Receipts (*.receipt)</source>
        <translation>Empfangsbestätigungen (*.receipt)</translation>
    </message>
    <message>
        <source>Reading the receipt…</source>
        <translation>Die Empfangsbestätigung wird eingelesen…</translation>
    </message>
    <message>
        <source>Nothing is waiting to be sent: no file was written.</source>
        <translation>Nichts wartet auf das Senden: Es wurde keine Datei geschrieben.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) written to %1.</source>
        <translation>
            <numerusform>%Ln Unterschrift in %1 geschrieben.</numerusform>
            <numerusform>%Ln Unterschriften in %1 geschrieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is marked as sent until you read the server&apos;s receipt.</source>
        <translation>Bis Sie die Empfangsbestätigung des Servers einlesen, wird nichts als gesendet markiert.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) made on phones are not in the file: they wait for the server to be updated.</source>
        <translation>
            <numerusform>%Ln auf einem Handy geleistete Unterschrift ist nicht in der Datei: Sie wartet darauf, dass der Server aktualisiert wird.</numerusform>
            <numerusform>%Ln auf Handys geleistete Unterschriften sind nicht in der Datei: Sie warten darauf, dass der Server aktualisiert wird.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) with partners&apos; opt-ins are not in the file: they wait for the server to be updated.</source>
        <translation>
            <numerusform>%Ln Unterschrift mit Zustimmungen für Partnerorganisationen ist nicht in der Datei: Sie wartet darauf, dass der Server aktualisiert wird.</numerusform>
            <numerusform>%Ln Unterschriften mit Zustimmungen für Partnerorganisationen sind nicht in der Datei: Sie warten darauf, dass der Server aktualisiert wird.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Receipt read: %Ln signature(s) acknowledged by the server.</source>
        <translation>
            <numerusform>Empfangsbestätigung eingelesen: %Ln Unterschrift vom Server bestätigt.</numerusform>
            <numerusform>Empfangsbestätigung eingelesen: %Ln Unterschriften vom Server bestätigt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Needing attention: %1.</source>
        <translation>Brauchen Aufmerksamkeit: %1.</translation>
    </message>
    <message>
        <source>This device is not enrolled with a server. A hand-off file is made for one server: enroll the device first.</source>
        <translation>Dieses Gerät ist bei keinem Server angemeldet. Eine Übergabedatei gilt für einen bestimmten Server: Melden Sie das Gerät zuerst an.</translation>
    </message>
    <message>
        <source>The server refused this device. Enroll it again before handing signatures over.</source>
        <translation>Der Server hat dieses Gerät abgewiesen. Melden Sie es neu an, bevor Sie Unterschriften übergeben.</translation>
    </message>
    <message>
        <source>This device does not hold its server&apos;s encryption key, so it cannot write a hand-off file. Sync once while online, or enroll the device again.</source>
        <translation>Diesem Gerät fehlt der Verschlüsselungsschlüssel seines Servers, daher kann es keine Übergabedatei schreiben. Synchronisieren Sie einmal mit Netzverbindung oder melden Sie das Gerät neu an.</translation>
    </message>
    <message>
        <source>A sync is running. Try again when it has finished.</source>
        <translation>Gerade läuft eine Synchronisierung. Versuchen Sie es erneut, wenn sie beendet ist.</translation>
    </message>
    <message>
        <source>This file is not a receipt, or it is damaged. Nothing was changed.</source>
        <translation>Diese Datei ist keine Empfangsbestätigung oder sie ist beschädigt. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>This receipt was made by a newer server. Update the app, then read it again.</source>
        <translation>Diese Empfangsbestätigung stammt von einem neueren Server. Aktualisieren Sie die App und lesen Sie sie dann erneut ein.</translation>
    </message>
    <message>
        <source>The receipt&apos;s signature does not verify with the server&apos;s key: it was altered or not made by the server. Nothing was changed.</source>
        <translation>Die digitale Signatur der Empfangsbestätigung passt nicht zum Schlüssel des Servers: Sie wurde verändert oder stammt nicht vom Server. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>This receipt was signed by another server than the one this device is enrolled with. Nothing was changed.</source>
        <translation>Diese Empfangsbestätigung wurde von einem anderen Server signiert als dem, bei dem dieses Gerät angemeldet ist. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>This receipt is for another device. Nothing was changed.</source>
        <translation>Diese Empfangsbestätigung gilt für ein anderes Gerät. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>Das hat nicht geklappt: %1</translation>
    </message>
</context>
<context>
    <name>ThanksPage</name>
    <message>
        <source>Your signature has been saved on this device.</source>
        <translation>Ihre Unterschrift ist auf diesem Gerät gespeichert.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Your receipt: scan it to confirm or withdraw your signature later.</source>
        <translation>Ihr Beleg: Scannen Sie ihn, um Ihre Unterschrift später zu bestätigen oder zurückzuziehen.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln Unterschrift auf diesem Gerät</numerusform>
            <numerusform>%Ln Unterschriften auf diesem Gerät</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This screen closes in %Ln second(s).</source>
        <translation>
            <numerusform>Diese Anzeige schließt sich in %Ln Sekunde.</numerusform>
            <numerusform>Diese Anzeige schließt sich in %Ln Sekunden.</numerusform>
        </translation>
    </message>
</context>
</TS>
